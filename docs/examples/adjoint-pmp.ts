/**
 * Pontryagin's maximum principle for a discrete ResNet (docs/adjoint.md, "PMP"): forward states,
 * backward costates, and the check that backprop's gradient of layer k is -alpha dH_k/dtheta.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/adjoint-pmp.ts
 */
import { pathToFileURL } from 'node:url';
import { pmpSweep, type ResidualControlProblem, unrolledCost } from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log) {
  const rng = T.createRng(0);
  const depth = 8;
  const width = 3;
  const x0 = T.randn([5, width], rng);
  const target = T.randn([5, width], rng);
  // x_{k+1} = x_k + (1/L) V_k tanh(W_k x_k), cost = mse(x_L, target) + (1/L) sum_k 0.01 |theta_k|^2.
  const problem: ResidualControlProblem = {
    field: (x, [W, V]) => A.tanh(A.matmul(x, W!)).matmul(V!),
    alpha: 1 / depth,
    terminalLoss: (xL) => A.mse(xL, target),
    regularizer: ([W, V]) =>
      A.sum(A.square(W!))
        .add(A.sum(A.square(V!)))
        .mul(0.01),
  };
  const controls = Array.from({ length: depth }, () => [
    T.randn([width, width], rng),
    T.randn([width, width], rng),
  ]);

  // The maximum principle's side: states forward, costates p_k = -dJ/dx_k backward, dH_k/dtheta.
  const sweep = pmpSweep(problem, x0, controls);
  // Backprop's side: differentiate the unrolled network.
  const { value, grads } = A.valueAndGrad((...th) =>
    unrolledCost(
      problem,
      x0,
      controls.map((_, k) => th.slice(2 * k, 2 * k + 2)),
    ),
  )(...controls.flat());

  log(`cost: PMP sweep ${sweep.cost.toFixed(12)}, unrolled ${value.item().toFixed(12)}`);
  const rows = controls.map((_, k) => {
    const fromH = T.mul(sweep.hamiltonianGrads[k]![0]!, -problem.alpha); // -alpha dH_k/dW
    const backprop = grads[2 * k]!.value;
    const rel = T.maxAbsDiff(fromH, backprop) / T.max(T.abs(backprop)).item();
    return {
      layer: k,
      costateNorm: Math.sqrt(T.sum(T.square(sweep.costates[k + 1]!)).item()),
      relativeError: rel,
    };
  });
  for (const r of rows) {
    log(
      `layer ${r.layer}: |p_${r.layer + 1}| = ${r.costateNorm.toFixed(4)}   ` +
        `|backprop - (-alpha dH/dW)| / |backprop| = ${r.relativeError.toExponential(1)}`,
    );
  }
  return { cost: sweep.cost, unrolled: value.item(), rows };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
