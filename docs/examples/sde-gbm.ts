/**
 * Geometric Brownian motion dX = mu X dt + sigma X dW with the three schemes: strong errors
 * against the exact solution on the same Brownian paths, measured orders, and a pathwise
 * gradient through the solver (docs/sde.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/sde-gbm.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import { SDE_METHODS, type SdeMethod, sdeint, VirtualBrownianTree } from '@resode/ode';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log, paths = 1000) {
  const [mu, sigma, x0] = [1, 1, 1];
  const drift = (_t: number, x: A.Var) => x.mul(mu);
  const diffusion = (_t: number, x: A.Var) => x.mul(sigma);

  // One tree for all runs: every step size sees the same `paths` Brownian paths.
  const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [paths], seed: 7 });
  const w1 = bm.at(1);
  const exact = {
    ito: T.mul(T.exp(T.add(T.mul(w1, sigma), mu - (sigma * sigma) / 2)), x0),
    stratonovich: T.mul(T.exp(T.add(T.mul(w1, sigma), mu)), x0),
  };

  const ks = [2, 3, 4, 5, 6, 7, 8];
  log(`mean |X_1 - exact X_1| over ${paths} paths (mu = ${mu}, sigma = ${sigma})`);
  log(`${'dt'.padEnd(10)}${(Object.keys(SDE_METHODS) as SdeMethod[]).map((m) => m.padStart(16)).join('')}`);
  const errors: Record<string, number[]> = {};
  for (const method of Object.keys(SDE_METHODS) as SdeMethod[]) {
    const target = exact[SDE_METHODS[method].calculus];
    errors[method] = ks.map((k) => {
      const xs = sdeint(drift, diffusion, T.full([paths], x0), [0, 1], { method, dt: 2 ** -k, bm });
      return T.mean(T.abs(T.sub(A.index(xs, 1).value, target))).item();
    });
  }
  ks.forEach((k, i) => {
    log(
      `${`2^-${k}`.padEnd(10)}${Object.values(errors)
        .map((e) => e[i]!.toExponential(3).padStart(16))
        .join('')}`,
    );
  });
  const orders = Object.fromEntries(Object.entries(errors).map(([m, e]) => [m, slope(ks, e)]));
  log(
    `${'order'.padEnd(10)}${Object.values(orders)
      .map((o) => o.toFixed(3).padStart(16))
      .join('')}`,
  );

  // Pathwise gradient: d/dmu of the mean of X_1 under Euler-Maruyama, by backprop through sdeint
  // with the paths held fixed. E[X_1] of the scheme is (1 + mu dt)^n, so the exact derivative is known.
  const dt = 2 ** -6;
  const meanX1 = (m: A.Var) =>
    A.mean(
      A.index(
        sdeint((_t, x) => x.mul(m), diffusion, T.full([paths], x0), [0, 1], { dt, bm }),
        1,
      ),
    );
  const [dMu] = A.grad(meanX1)(T.tensor(mu));
  const n = 1 / dt;
  const dMuExact = x0 * n * dt * (1 + mu * dt) ** (n - 1);
  log(`d mean(X_1) / d mu: backprop ${dMu!.item().toFixed(4)}, exact for the scheme ${dMuExact.toFixed(4)}`);
  return { ks, errors, orders, dMu: dMu!.item(), dMuExact };
}

/** Least-squares slope of log(error) against log(dt), dt = 2^-k. */
function slope(ks: number[], errors: number[]): number {
  const xs = ks.map((k) => -k * Math.LN2);
  const ys = errors.map(Math.log);
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const sxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
  return sxy / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
