/**
 * sum_j coefs[j] * terms[j] as ONE tape node. Every Runge-Kutta formula is such a sum (a stage
 * state y0 + h sum_j a_ij k_j, the solution y0 + h sum_i b_i k_i, an interpolant), so with this
 * op a step records its stages and one node per sum, not a mul and an add per coefficient.
 * Its VJP is as simple as its forward: the cotangent of terms[j] is coefs[j] * ct.
 */
import { customVjp, mul, type Var } from '@resode/autograd';
import { allocate, Tensor } from '@resode/tensor';

/** The terms must share one shape (the field wrapper guarantees it for states and stages). */
export function linearCombination(terms: readonly Var[], coefs: readonly number[]): Var {
  const used: Var[] = [];
  const weights: number[] = [];
  terms.forEach((x, j) => {
    if (coefs[j] !== 0) {
      used.push(x);
      weights.push(coefs[j]!);
    }
  });
  if (used.length === 1 && weights[0] === 1) return used[0]!;
  if (used.length === 0) return mul(terms[0]!, 0);
  const op = customVjp(
    (...xs) => combineValues(xs, weights),
    (ct, _out, ...xs) =>
      xs.map((x, j) => (!x.requiresGrad ? null : weights[j] === 1 ? ct : mul(ct, weights[j]!))),
    'linearCombination',
    // Fresh storage out, the cotangent only passed on: the engine may reuse both.
    { recyclable: true },
  );
  return op(...used);
}

function combineValues(xs: readonly Var[], weights: readonly number[]): Tensor {
  const shape = xs[0]!.shape;
  const out = allocate(xs[0]!.size); // zeros, from the current storage pool when there is one
  xs.forEach((x, j) => {
    const v = x.value.values();
    const w = weights[j]!;
    for (let i = 0; i < out.length; i++) out[i] += w * v[i]!;
  });
  return Tensor.view(out, shape);
}
