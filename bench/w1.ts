/**
 * Workload W1 of DESIGN.md: a deep ResNet, L = 256 blocks of width d = 16 on a batch of 128,
 *   h <- h + L^(-1/2) tanh(h W_k^T) V_k^T      (rows of h are the batch),
 *   loss = mean over the batch of |h_L|^2 / 2,
 * forward + backward with valueAndGrad over all 2L weight matrices. The inputs come from the
 * portable generator of bench/peers (mulberry32 + Box-Muller, seed 1: h0, then W_k, V_k for each
 * k), so the loss matches the peers' check value 11.41696358.
 * Run: pnpm bench:build && node bench/dist/w1.js [--quick]
 * (compiled, under plain Node, as `pnpm bench` runs it; `pnpm exec tsx --conditions=resode-source
 * bench/w1.ts` runs the source, slower: see packages/tensor/src/kernels/matmul.ts)
 */
import { fileURLToPath } from 'node:url';
import * as A from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { mulberry32, portableNormal } from './portable-tensors.js';
import { sampleMs } from './timing.js';

/** W1's loss as a function of the 2L weight matrices [W_0..W_{L-1}, V_0..V_{L-1}]. */
export function w1Loss(h0: Tensor, L: number): (...weights: A.Var[]) => A.Var {
  const alpha = L ** -0.5;
  return (...weights) => {
    let h = A.constant(h0);
    for (let k = 0; k < L; k++) {
      const z = A.tanh(A.matmul(h, A.transpose(weights[k]!)));
      h = A.add(h, A.mul(A.matmul(z, A.transpose(weights[L + k]!)), alpha));
    }
    return A.mul(A.mean(A.sum(A.square(h), 1)), 0.5);
  };
}

/** Builds W1 once; each call of the returned function runs one forward + backward and returns the loss. */
export function w1Resode(L = 256, d = 16, batch = 128): () => number {
  const rng = mulberry32(1);
  const h0 = portableNormal(rng, [batch, d]);
  const weights: Tensor[] = [];
  const Ws: Tensor[] = [];
  const Vs: Tensor[] = [];
  for (let k = 0; k < L; k++) {
    Ws.push(portableNormal(rng, [d, d], d ** -0.5));
    Vs.push(portableNormal(rng, [d, d], d ** -0.5));
  }
  weights.push(...Ws, ...Vs);
  // A training step: each call reuses the storage of the previous call's tape (docs/autograd.md).
  const step = A.valueAndGrad(w1Loss(h0, L), { reuseStorage: true });
  return () => step(...weights).value.item();
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const run = w1Resode();
  const reps = quick ? 5 : 30;
  const t = sampleMs(run, reps, quick ? 2 : 5);
  console.log(
    `W1 resode (L=256, d=16, batch 128, float64): median ${t.median.toFixed(2)} ms/iteration ` +
      `(min ${t.min.toFixed(2)}, max ${t.max.toFixed(2)}, ${reps} runs), loss ${t.last.toFixed(8)}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
