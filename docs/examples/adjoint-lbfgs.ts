/**
 * L-BFGS against plain gradient descent on Rosenbrock's function (docs/adjoint.md, "Optimisers").
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/adjoint-lbfgs.ts
 */
import { pathToFileURL } from 'node:url';
import { gradientDescent, lbfgs } from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

/** f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1). */
const rosenbrock = (v: A.Var) => {
  const x = A.index(v, 0);
  const y = A.index(v, 1);
  return A.square(A.sub(1, x)).add(A.square(A.sub(y, A.square(x))).mul(100));
};

export function main(log: (...args: unknown[]) => void = console.log) {
  const start = [T.tensor([-1.2, 1])];
  const quasiNewton = lbfgs(rosenbrock, start, { gradTol: 1e-12, maxIterations: 200 });
  const descent = gradientDescent(rosenbrock, start, { maxIterations: 1000 });
  const error = (x: T.Tensor) => Math.hypot(x.get(0) - 1, x.get(1) - 1);
  const rows = [
    { method: 'L-BFGS (m = 10, strong Wolfe)', ...summary(quasiNewton), error: error(quasiNewton.xs[0]!) },
    { method: 'gradient descent (Armijo)', ...summary(descent), error: error(descent.xs[0]!) },
  ];
  for (const r of rows) {
    log(
      `${r.method.padEnd(30)} iterations ${String(r.iterations).padStart(4)}  evaluations ${String(r.evaluations).padStart(5)}  ` +
        `f = ${r.value.toExponential(2)}  |x - x*| = ${r.error.toExponential(2)}`,
    );
  }
  return rows;
}

function summary(r: { iterations: number; evaluations: number; value: number }) {
  return { iterations: r.iterations, evaluations: r.evaluations, value: r.value };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
