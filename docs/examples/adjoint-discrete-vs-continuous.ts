/**
 * Discrete and continuous adjoints (docs/adjoint.md): backprop through the solver gives the exact
 * gradient of the discrete solution; the continuous adjoint approximates the gradient of the exact
 * flow. They differ by the solvers' errors and agree as the tolerance shrinks.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/adjoint-discrete-vs-continuous.ts
 */
import { pathToFileURL } from 'node:url';
import { odeintGrad } from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log) {
  const rng = T.createRng(5);
  const params = [T.mul(T.randn([2, 16], rng), 1.2), T.mul(T.randn([16, 2], rng), 0.6)];
  const f = (t: number, y: A.Var, [W1, W2]: A.Var[]) =>
    A.tanh(A.matmul(y, W1!))
      .matmul(W2!)
      .mul(1 + Math.sin(3 * t));
  const y0 = T.randn([4, 2], rng);
  const gradient = (strategy: 'backprop' | 'adjoint', rtol: number) =>
    A.grad((...ps) =>
      A.sum(
        A.square(odeintGrad(f, y0, [0, 2], ps, { gradient: strategy, rtol, atol: rtol * 1e-2 }).index(1)),
      ),
    )(...params)[0]!.value;
  const reference = gradient('backprop', 1e-12);
  const rel = (g: T.Tensor) => T.maxAbsDiff(g, reference) / T.max(T.abs(reference)).item();
  const rows = [1e-3, 1e-5, 1e-7, 1e-9].map((rtol) => {
    const discrete = gradient('backprop', rtol);
    const continuous = gradient('adjoint', rtol);
    const row = {
      rtol,
      discreteError: rel(discrete),
      continuousError: rel(continuous),
      gap: T.maxAbsDiff(discrete, continuous) / T.max(T.abs(reference)).item(),
    };
    log(
      `rtol ${rtol.toExponential(0)}: |backprop - exact| ${row.discreteError.toExponential(2)}   ` +
        `|adjoint - exact| ${row.continuousError.toExponential(2)}   |backprop - adjoint| ${row.gap.toExponential(2)}`,
    );
    return row;
  });
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
