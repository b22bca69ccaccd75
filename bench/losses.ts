/**
 * The losses of W1 and W2 as functions of the batch and the weights, and the vector field and
 * inputs that W2 and W3 share. A module of its own, with no side effects, because dataParallel's
 * worker threads import it by URL (bench/w1.ts and w2.ts run a benchmark when run as scripts).
 */
import * as A from '@resode/autograd';
import { odeint } from '@resode/ode';
import type { Tensor } from '@resode/tensor';
import { mulberry32, portableNormal, portableUniform } from './portable-tensors.js';

/**
 * W1: h <- h + L^(-1/2) tanh(h W_k^T) V_k^T for k < L (rows of h are the batch), then the mean
 * over the rows of |h_L|^2 / 2. `weights` is [W_0..W_{L-1}, V_0..V_{L-1}].
 */
export function w1Loss(h0: A.Var, ...weights: A.Var[]): A.Var {
  const L = weights.length / 2;
  const alpha = L ** -0.5;
  let h = h0;
  for (let k = 0; k < L; k++) {
    const z = A.tanh(A.matmul(h, A.transpose(weights[k]!)));
    h = A.add(h, A.mul(A.matmul(z, A.transpose(weights[L + k]!)), alpha));
  }
  return A.mul(A.mean(A.sum(A.square(h), 1)), 0.5);
}

/**
 * The vector field of W2 and W3, Linear(hidden -> 2)(tanh(Linear(2 -> hidden)(y))), as PyTorch's
 * nn.Linear computes it (F.linear: one fused product + bias per layer).
 */
export function w2Field(Aw: A.Var, a: A.Var, Bw: A.Var, b: A.Var): (y: A.Var) => A.Var {
  return (y) => A.linear(A.tanh(A.linear(y, Aw, a)), Bw, b);
}

/**
 * The inputs of W2 and W3, in the peers' order, from the portable generator (seed 2): y0
 * [batch, 2], then A [hidden, 2], a [hidden], B [2, hidden], b [2] within PyTorch's default
 * Linear init bounds.
 */
export function w2Inputs(batch: number, hidden: number): { y0: Tensor; params: Tensor[] } {
  const rng = mulberry32(2);
  const y0 = portableNormal(rng, [batch, 2]);
  const params = [
    portableUniform(rng, [hidden, 2], 2 ** -0.5),
    portableUniform(rng, [hidden], 2 ** -0.5),
    portableUniform(rng, [2, hidden], hidden ** -0.5),
    portableUniform(rng, [2], hidden ** -0.5),
  ];
  return { y0, params };
}

/** W2: sum of y(1)^2 over the rows, y' = w2Field by RK4 with step h. */
export function w2Loss(y0: A.Var, Aw: A.Var, a: A.Var, Bw: A.Var, b: A.Var, h = 0.05): A.Var {
  const field = w2Field(Aw, a, Bw, b);
  const ys = odeint((_t, y) => field(y), y0, [0, 1], { method: 'rk4', stepSize: h });
  return A.sum(A.square(A.index(ys, 1)));
}

/** A training step of one of the losses above on `threads` threads (dataParallel), ready to time. */
export type ParallelWorkload = { run: () => number; threads: number; close: () => Promise<void> };

/**
 * The loss exported here as `name`, on `threads` threads with dataParallel, its first argument
 * (the batch) split by rows; `run` makes one step on `args` and returns the loss.
 */
export async function parallelWorkload(
  name: 'w1Loss' | 'w2Loss',
  reduction: 'mean' | 'sum',
  threads: number,
  args: A.VarLike[],
): Promise<ParallelWorkload> {
  const dp = await A.dataParallel(new URL('./losses.js', import.meta.url), name, {
    threads,
    shardArgs: [0],
    reduction,
    reuseStorage: true,
  });
  return { run: () => dp.valueAndGrad(...args).value.item(), threads: dp.threads, close: () => dp.close() };
}
