/**
 * Three gradient strategies behind one API (docs/adjoint.md, "Checkpointing"): 1000 RK4 steps of a
 * small ODE, differentiated by backprop, by checkpointed backprop (binomial and uniform schedules),
 * and by the continuous adjoint; what each stores and recomputes.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/adjoint-checkpoint.ts
 */
import { pathToFileURL } from 'node:url';
import { createGradStats, type OdeintGradOptions, odeintGrad } from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log, steps = 1000) {
  const rng = T.createRng(1);
  const params = [T.mul(T.randn([3, 3], rng), 0.8), T.mul(T.randn([3], rng), 0.5)];
  const f = (_t: number, y: A.Var, [W, b]: A.Var[]) => A.tanh(A.matmul(y, W!).add(b!));
  const y0 = T.randn([2, 3], rng);
  const runs: [string, OdeintGradOptions][] = [
    ['backprop', { gradient: 'backprop' }],
    ['checkpoint, binomial, 5', { gradient: 'checkpoint', checkpoints: 5 }],
    ['checkpoint, binomial, 10', { gradient: 'checkpoint', checkpoints: 10 }],
    ['checkpoint, uniform, 32', { gradient: 'checkpoint', checkpoints: 32, schedule: 'uniform' }],
    ['adjoint', { gradient: 'adjoint' }],
  ];
  let reference: T.Tensor[] | undefined;
  const rows = runs.map(([name, opts]) => {
    const stats = createGradStats();
    const t0 = performance.now();
    const grads = A.grad((...ps) =>
      A.sum(
        A.square(
          odeintGrad(f, y0, [0, 1], ps, { ...opts, method: 'rk4', stepSize: 1 / steps, stats }).index(1),
        ),
      ),
    )(...params).map((g) => g.value);
    const ms = performance.now() - t0;
    reference ??= grads;
    const diff = Math.max(
      ...grads.map((g, i) => T.maxAbsDiff(g, reference![i]!) / T.max(T.abs(reference![i]!)).item()),
    );
    log(
      `${name.padEnd(26)} stored states ${String(stats.peakStoredStates).padStart(6)}   steps recomputed ${String(stats.stepsRecomputed).padStart(6)}   ` +
        `nfe backward ${String(stats.nfeBackward).padStart(6)}   ${ms.toFixed(0).padStart(5)} ms   vs backprop ${diff.toExponential(1)}`,
    );
    return {
      name,
      stored: stats.peakStoredStates,
      recomputed: stats.stepsRecomputed,
      nfeBackward: stats.nfeBackward,
      diff,
    };
  });
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
