/**
 * W2 (DESIGN.md, "Benchmark workloads"): a neural ODE f(t, y) = Linear(64 -> 2)(tanh(Linear(2 -> 64)(y))),
 * batch 256, classic RK4 with step 0.05 on [0, 1] (20 steps, 80 evaluations of f), loss = sum y(1)^2,
 * forward and backward through the solver, float64.
 *
 * Inputs come from the portable generator of bench/peers (mulberry32 + Box-Muller, seed 2: y0
 * [256, 2], then A [64, 2], a [64], B [2, 64], b [2], PyTorch's default Linear init bounds), so the
 * loss matches the peers' check value 523.1183549 (the PyTorch peer's rk4 being the classic one too).
 *
 * `w2Resode()` builds the workload and returns one iteration (returning the loss). Run directly:
 *   pnpm bench:build && node bench/dist/w2.js [iterations]
 * (or from source, slower: pnpm exec tsx --conditions=resode-source bench/w2.ts [iterations])
 * prints the median ms per iteration.
 */
import * as A from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { type ParallelWorkload, parallelWorkload, w2Field, w2Inputs, w2Loss } from './losses.js';
import { alternatingRounds } from './timing.js';

/** The inputs of W2 by name. */
function inputs(batch: number, hidden: number) {
  const { y0, params } = w2Inputs(batch, hidden);
  const [A0, a0, B0, b0] = params as [Tensor, Tensor, Tensor, Tensor];
  return { y0, A0, a0, B0, b0 };
}

export function w2Resode(h = 0.05, batch = 256, hidden = 64): () => number {
  const { y0, A0, a0, B0, b0 } = inputs(batch, hidden);
  const loss = (Aw: A.Var, a: A.Var, Bw: A.Var, b: A.Var) => w2Loss(A.constant(y0), Aw, a, Bw, b, h);
  const step = A.valueAndGrad(loss, { reuseStorage: true }); // storage reused from call to call
  return () => step(A0, a0, B0, b0).value.item();
}

/**
 * W2 on `threads` threads with dataParallel: each thread solves its rows of the batch (the loss is
 * a sum over them; RK4 with a fixed step treats every row alone), the weights' gradients are
 * summed. Close it when done.
 */
export async function w2ResodeParallel(threads = 2, batch = 256, hidden = 64): Promise<ParallelWorkload> {
  const { y0, A0, a0, B0, b0 } = inputs(batch, hidden);
  return parallelWorkload('w2Loss', 'sum', threads, [y0, A0, a0, B0, b0]);
}

/**
 * The same computation as a hand-written RK4 loop on the same engine (the tfjs peer's loop): the
 * difference with w2Resode is what odeint itself costs.
 */
export function w2HandLoop(h = 0.05, batch = 256, hidden = 64): () => number {
  const { y0, A0, a0, B0, b0 } = inputs(batch, hidden);
  const loss = (Aw: A.Var, a: A.Var, Bw: A.Var, b: A.Var) => {
    const f = w2Field(Aw, a, Bw, b);
    let y = A.constant(y0);
    for (let i = 0; i < Math.round(1 / h); i++) {
      const k1 = f(y);
      const k2 = f(y.add(k1.mul(h / 2)));
      const k3 = f(y.add(k2.mul(h / 2)));
      const k4 = f(y.add(k3.mul(h)));
      y = y.add(
        k1
          .add(k2.mul(2))
          .add(k3.mul(2))
          .add(k4)
          .mul(h / 6),
      );
    }
    return A.sum(A.square(y));
  };
  const step = A.valueAndGrad(loss, { reuseStorage: true }); // storage reused from call to call
  return () => step(A0, a0, B0, b0).value.item();
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 30);
  // Interleaved rounds, so that both see the same machine load.
  const rounds = 3;
  const per = Math.max(1, Math.round(iterations / rounds));
  const parallel = await w2ResodeParallel();
  const results = alternatingRounds(
    [
      { label: 'odeint rk4 h = 0.05, batch 256, forward + backward:', run: w2Resode() },
      { label: 'hand-written RK4 loop, same engine:             ', run: w2HandLoop() },
      { label: `odeint rk4 on ${parallel.threads} threads (dataParallel):     `, run: parallel.run },
    ],
    rounds,
    per,
    5,
  );
  await parallel.close();
  for (const x of results) {
    console.log(
      `W2 resode, ${x.label} ${x.median.toFixed(2)} ms/iter ` +
        `(round medians ${x.medians.map((m) => m.toFixed(1)).join(', ')}; fastest ${x.min.toFixed(2)}), loss ${x.last.toFixed(7)}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
