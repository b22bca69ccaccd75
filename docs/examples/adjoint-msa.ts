/**
 * Training a small ResNet classifier by the method of successive approximations, basic and extended
 * (docs/adjoint.md, "MSA"). Points of [-1, 1]^2, class 1 inside a disk; state width 4.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/adjoint-msa.ts
 */
import { pathToFileURL } from 'node:url';
import { forwardStates, msa, type ResidualControlProblem } from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log) {
  const rng = T.createRng(1);
  const n = 64;
  const depth = 4;
  const points = T.rand([n, 2], rng, -1, 1);
  const labels = Array.from({ length: n }, (_, i) =>
    Math.hypot(points.get(i, 0), points.get(i, 1)) < 0.65 ? 1 : 0,
  );
  const x0 = T.concat([points, T.zeros([n, 2])], 1);
  const problem: ResidualControlProblem = {
    field: (x, [W, b]) => A.tanh(A.add(A.matmul(x, W!), b!)),
    alpha: 1 / depth,
    // Logits: the first two coordinates of x_L.
    terminalLoss: (xL) => A.crossEntropy(A.slice(xL, [null, [0, 2]]).mul(3), labels),
    regularizer: ([W, b]) =>
      A.sum(A.square(W!))
        .add(A.sum(A.square(b!)))
        .mul(1e-3),
  };
  const init = () => {
    const r = T.createRng(2);
    return Array.from({ length: depth }, () => [T.mul(T.randn([4, 4], r), 0.5), T.mul(T.randn([4], r), 0.1)]);
  };
  const accuracy = (controls: T.Tensor[][]) => {
    const xL = forwardStates(problem, x0, controls)[depth]!;
    return labels.filter((y, i) => (xL.get(i, 1) > xL.get(i, 0) ? 1 : 0) === y).length / n;
  };

  const runs = [
    {
      name: 'MSA, 3 ascent steps on H',
      opts: { iterations: 10, maximizer: { method: 'gradient', learningRate: 2, steps: 3 } },
    },
    { name: 'MSA, L-BFGS on H', opts: { iterations: 10, maximizer: { method: 'lbfgs', maxIterations: 5 } } },
    {
      name: 'E-MSA rho = 2, L-BFGS',
      opts: { iterations: 10, rho: 2, maximizer: { method: 'lbfgs', maxIterations: 5 } },
    },
  ] as const;
  const results = runs.map(({ name, opts }) => {
    const r = msa(problem, x0, init(), opts);
    log(
      `${name.padEnd(26)} cost ${r.costs.map((c) => c.toFixed(3)).join(' ')}   accuracy ${accuracy(r.controls)}`,
    );
    return { name, costs: r.costs, accuracy: accuracy(r.controls) };
  });
  log(`accuracy at initialisation: ${accuracy(init())}`);
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
