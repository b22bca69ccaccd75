/**
 * Derivatives of derivatives: grad of grad, a Hessian-vector product, forward mode (jvp) by the
 * double-VJP trick, Jacobians by rows and by columns, and nested transforms that do not confuse
 * their variables (docs/autograd.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/autograd-higher-order.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

/** d/dx of a function of one scalar Var, as a function again. */
const d = (f: (x: A.Var) => A.Var) => (x: A.Var) => A.grad(f)(x)[0]!;

export function main(log: (...args: unknown[]) => void = console.log) {
  // sin, its derivatives cos, -sin, -cos: grad of grad of grad.
  const x = A.constant(0.5);
  const derivatives = [A.sin, d(A.sin), d(d(A.sin)), d(d(d(A.sin)))].map((f) => f(x).item());
  log(`sin and its 3 derivatives at 0.5: ${derivatives.map((v) => v.toFixed(12)).join(', ')}`);

  // Hessian-vector product of f(x) = sum(x^4) / 4, whose Hessian is diag(3 x^2).
  const quartic = (v: A.Var) => A.div(A.sum(A.pow(v, 4)), 4);
  const p = T.tensor([1, -2, 0.5]);
  const [hv] = A.hvp(quartic, [p], [T.tensor([1, 1, 1])]);
  log(`H v = ${hv!.value} (3 x^2 = [3, 12, 0.75])`);

  // Forward mode: J t for f(x) = [x0 x1, sin(x1)] without JVP rules (two VJPs, see the doc).
  const f = (v: A.Var) => A.stack([A.mul(A.index(v, 0), A.index(v, 1)), A.sin(A.index(v, 1))]);
  const at = T.tensor([2, 0.3]);
  const { tangent } = A.jvp(f, [at], [T.tensor([1, 0])]); // the first column of J
  const rev = A.jacobian(f, at);
  const fwd = A.jacobian(f, at, { mode: 'fwd' });
  log(`J t = ${tangent.value}; J by rows ${rev.value}; by columns ${fwd.value}`);

  // Perturbation confusion (Siskind & Pearlmutter 2005): d/dx [x * d/dy (x + y)] at any x is 1,
  // because d/dy (x + y) = 1. An engine that mixed up x and y would answer 2.
  const [confusion] = A.grad((xv) => A.mul(xv, A.grad((y) => A.add(xv, y))(T.tensor(1))[0]!))(T.tensor(3));
  log(`d/dx [x * d/dy (x + y)] = ${confusion!.item()}`);

  return {
    derivatives,
    hv: Array.from(hv!.value.values()),
    tangent: Array.from(tangent.value.values()),
    jacobianRev: Array.from(rev.value.values()),
    jacobianFwd: Array.from(fwd.value.values()),
    confusion: confusion!.item(),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
