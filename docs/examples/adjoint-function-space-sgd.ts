/**
 * SGD over a control function theta(t) (docs/adjoint.md, "Function-space SGD"): the same problem on
 * meshes of L = 16, 64, 256 cells, with the L^2 step (mesh independent) and the Euclidean step.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/adjoint-function-space-sgd.ts
 */
import { pathToFileURL } from 'node:url';
import { type ContinuousControlProblem, functionSpaceSgd, piecewiseConstant } from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log, steps = 20) {
  const rng = T.createRng(4);
  const x0 = T.randn([64, 2], rng);
  const rotation = T.tensor([
    [0, 1.5],
    [-1.5, 0],
  ]);
  const target = A.noGrad(() => A.tanh(A.matmul(x0, rotation)).add(x0).value);
  // dx/dt = tanh(x W(t) + b(t)) on [0, 1]; cost = mse(x(1), target).
  const problem: ContinuousControlProblem = {
    field: (x, [W, b]) => A.tanh(A.add(A.matmul(x, W!), b!)),
    terminalLoss: (xT) => A.mse(xT, target),
  };
  const Wa = T.mul(T.randn([2, 2], rng), 0.5);
  const Wb = T.mul(T.randn([2, 2], rng), 0.5);
  const ba = T.mul(T.randn([2], rng), 0.3);
  const theta0 = (t: number) => [
    T.add(Wa, T.mul(Wb, Math.sin(Math.PI * t))),
    T.mul(ba, Math.cos(Math.PI * t)),
  ];
  const batchRng = T.createRng(9);
  const batches = Array.from({ length: steps }, () => T.shuffle(64, batchRng).slice(0, 16));
  const batch = (s: number) => {
    const rows = batches[s]!;
    const tgt = T.gather(target, rows, 0);
    return { x0: T.gather(x0, rows, 0), terminalLoss: (xT: A.Var) => A.mse(xT, tgt) };
  };

  const curves: Record<string, number[]> = {};
  for (const metric of ['L2', 'euclidean'] as const) {
    for (const L of [16, 64, 256]) {
      const { costs } = functionSpaceSgd(problem, x0, piecewiseConstant(theta0, L), {
        learningRate: 1,
        steps,
        metric,
        batch,
      });
      curves[`${metric} L=${L}`] = costs;
      log(
        `${metric.padEnd(9)} L = ${String(L).padStart(3)}: ${costs
          .filter((_, i) => i % 4 === 0)
          .map((c) => c.toFixed(4))
          .join(' ')}`,
      );
    }
  }
  return curves;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
