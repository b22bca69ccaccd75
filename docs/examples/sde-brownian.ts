/**
 * One Brownian path, queried at any times in any order (docs/sde.md, "The Brownian tree").
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/sde-brownian.ts
 */
import { pathToFileURL } from 'node:url';
import { VirtualBrownianTree } from '@resode/ode';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log) {
  // 2000 independent Brownian motions on [0, 1], stored nowhere: every value is recomputed from the seed.
  const paths = 2000;
  const make = () => new VirtualBrownianTree({ t0: 0, t1: 1, shape: [paths], seed: 42 });

  // A coarse grid (10 steps) and a fine one (100 steps) on two separate trees with the same seed.
  const coarse = make();
  const fine = make();
  const fineW = Array.from({ length: 101 }, (_, k) => fine.at(k / 100));
  let sharedTimesDiff = 0;
  for (let k = 0; k <= 10; k++) {
    sharedTimesDiff = Math.max(sharedTimesDiff, T.maxAbsDiff(coarse.at((10 * k) / 100), fineW[10 * k]!));
  }
  log(`max |W_coarse(t) - W_fine(t)| over the shared times: ${sharedTimesDiff}`);

  // The law: increments over [s, s + h] have mean 0 and variance h, whatever s and h.
  const rows = [
    [0, 0.5],
    [0.3, 0.01],
    [0.123, 0.0007],
  ].map(([s, h]) => {
    const dW = coarse.increment(s!, s! + h!);
    const mean = T.mean(dW).item();
    const variance = T.mean(T.square(T.sub(dW, mean))).item();
    log(
      `W(${s} + ${h}) - W(${s}):  mean ${mean.toFixed(5).padStart(9)}  variance / h ${(variance / h!).toFixed(3)}`,
    );
    return { s: s!, h: h!, mean, varianceRatio: variance / h! };
  });
  return { sharedTimesDiff, rows };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
