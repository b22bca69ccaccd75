/**
 * The maximum principle for an ODE (docs/adjoint.md, "PMP"): states forward, costates p = -a
 * backward, the Hamiltonian H = p . f conserved along them (f autonomous), and the gradient of the
 * cost as minus the integral of dH/dtheta.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/adjoint-pmp-ode.ts
 */
import { pathToFileURL } from 'node:url';
import { continuousPmp } from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log) {
  const rng = T.createRng(3);
  const params = [T.mul(T.randn([2, 8], rng), 0.9), T.mul(T.randn([8, 2], rng), 0.5)];
  const f = (_t: number, x: A.Var, [W1, W2]: A.Var[]) => A.tanh(A.matmul(x, W1!)).matmul(W2!);
  const x0 = T.randn([5, 2], rng);
  const target = T.randn([5, 2], rng);
  const n = 20;
  const grid = Array.from({ length: n + 1 }, (_, i) => i / n);
  const pmp = continuousPmp(f, x0, grid, params, (xT) => A.mse(xT, target), { rtol: 1e-10, atol: 1e-10 });
  const spread = Math.max(...pmp.hamiltonian) - Math.min(...pmp.hamiltonian);
  log(`H(t) on the grid: from ${pmp.hamiltonian[0]!.toFixed(10)}, spread ${spread.toExponential(2)}`);
  // Simpson's rule for -integral dH/dW1 dt against the gradient from the augmented solve.
  let integral = T.zeros(params[0]!.shape);
  pmp.hamiltonianGrads.forEach((dH, k) => {
    const w = k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2;
    integral = T.sub(integral, T.mul(dH[0]!, w / (3 * n)));
  });
  const quadratureError = T.maxAbsDiff(integral, pmp.gradients[0]!) / T.max(T.abs(pmp.gradients[0]!)).item();
  log(
    `dJ/dW1 = -integral dH/dW1 dt: Simpson on ${n} intervals differs by ${quadratureError.toExponential(2)} (relative)`,
  );
  return { hamiltonian: pmp.hamiltonian, spread, quadratureError };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
