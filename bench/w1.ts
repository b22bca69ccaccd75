/**
 * Workload W1 of DESIGN.md: a deep ResNet, L = 256 blocks of width d = 16 on a batch of 128,
 *   h <- h + L^(-1/2) tanh(h W_k^T) V_k^T      (rows of h are the batch),
 *   loss = mean over the batch of |h_L|^2 / 2,
 * forward + backward with valueAndGrad over all 2L weight matrices. The inputs come from the
 * portable generator of bench/peers (mulberry32 + Box-Muller, seed 1: h0, then W_k, V_k for each
 * k), so the loss matches the peers' check value 11.41696358.
 * Run: pnpm bench:build && node bench/dist/w1.js [--quick] (one thread and two, alternately)
 * (compiled, under plain Node, as `pnpm bench` runs it; `pnpm exec tsx --conditions=resode-source
 * bench/w1.ts` runs the source, slower: see packages/tensor/src/kernels/matmul.ts)
 */
import { fileURLToPath } from 'node:url';
import * as A from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { type ParallelWorkload, parallelWorkload, w1Loss } from './losses.js';
import { mulberry32, portableNormal } from './portable-tensors.js';
import { alternatingRounds } from './timing.js';

/** W1's inputs from the portable generator: the batch h0 [batch, d], then [W_0..W_{L-1}, V_0..V_{L-1}]. */
function w1Inputs(L: number, d: number, batch: number): { h0: Tensor; weights: Tensor[] } {
  const rng = mulberry32(1);
  const h0 = portableNormal(rng, [batch, d]);
  const Ws: Tensor[] = [];
  const Vs: Tensor[] = [];
  for (let k = 0; k < L; k++) {
    Ws.push(portableNormal(rng, [d, d], d ** -0.5));
    Vs.push(portableNormal(rng, [d, d], d ** -0.5));
  }
  return { h0, weights: [...Ws, ...Vs] };
}

/** Builds W1 once; each call of the returned function runs one forward + backward and returns the loss. */
export function w1Resode(L = 256, d = 16, batch = 128): () => number {
  const { h0, weights } = w1Inputs(L, d, batch);
  // A training step: each call reuses the storage of the previous call's tape (docs/autograd.md).
  const step = A.valueAndGrad((...ws: A.Var[]) => w1Loss(A.constant(h0), ...ws), { reuseStorage: true });
  return () => step(...weights).value.item();
}

/**
 * W1 on `threads` threads with dataParallel: each thread takes its rows of the batch (the loss is
 * a mean over them), the weights' gradients are summed. Close it when done.
 */
export async function w1ResodeParallel(threads = 2, L = 256, d = 16, batch = 128): Promise<ParallelWorkload> {
  const { h0, weights } = w1Inputs(L, d, batch);
  return parallelWorkload('w1Loss', 'mean', threads, [h0, ...weights]);
}

/**
 * One thread and dataParallel on two, in alternating rounds (this host's load drifts over
 * minutes): each round's median, then the median of the rounds and the fastest step.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rounds = quick ? 2 : 6;
  const perRound = quick ? 3 : 5;
  const parallel = await w1ResodeParallel();
  const results = alternatingRounds(
    [
      { label: 'one thread', run: w1Resode() },
      { label: `${parallel.threads} threads (dataParallel)`, run: parallel.run },
    ],
    rounds,
    perRound,
    5,
  );
  await parallel.close();
  for (const x of results) {
    console.log(
      `W1 resode (L=256, d=16, batch 128, float64), ${x.label}: ${x.median.toFixed(2)} ms/iteration ` +
        `(round medians ${x.medians.map((m) => m.toFixed(1)).join(', ')}; fastest ${x.min.toFixed(2)}), loss ${x.last.toFixed(8)}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
