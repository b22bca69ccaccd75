/**
 * The residual branch f(h) = V sigma(W h + b) of a batch, as one node of the tape.
 *
 * Rows are samples: h is [n, d], W is [m, d], b is [m], V is [d, m], so
 *   z = h W^T + b,   s = sigma(z),   f = s V^T                       (forward)
 * and, for a cotangent g = dLoss/df [n, d] (each line is the chain rule for one matrix product),
 *   dV = g^T s,   gs = g V,   gz = gs * sigma'(z),   dW = gz^T h,   db = sum over rows of gz,
 *   dh = gz W                                                         (backward)
 * Recorded op by op, a deep narrow ResNet spends most of its time on the tape's bookkeeping and on
 * separate passes for sigma and sigma'; here the forward pass stores z's slope sigma'(z) while it
 * computes s, and the backward pass is four matrix products and one multiply.
 *
 * V is optional (the block sigma(W h + b), where m = d) and so is b. Inputs that do not require
 * a gradient (the fixed random features of the linear parameterisation) get none.
 *
 * When the VJP is itself differentiated (grad of grad, Hessian-vector products), the hand-written
 * VJP would hide its dependence on the inputs; it then falls back to the VJP of `branchReference`,
 * which is built from autograd primitives and so differentiable to any order.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import type { Activation } from '../activations.js';

export type BranchWeights = { W: Var; b?: Var | undefined; V?: Var | undefined };

/** f(h) = V sigma(W h + b) from autograd primitives: the definition the fused node must match. */
export function branchReference(h: Var, { W, b, V }: BranchWeights, act: Activation): Var {
  let z = A.matmul(h, A.transpose(W));
  if (b !== undefined) z = A.add(z, b);
  const s = act.apply(z);
  return V === undefined ? s : A.matmul(s, A.transpose(V));
}

/** The same function as one fused node (h must be [n, d]). */
export function fusedBranch(h: Var, weights: BranchWeights, act: Activation): Var {
  const { W, b, V } = weights;
  const inputs = [h, W, ...(b === undefined ? [] : [b]), ...(V === undefined ? [] : [V])];
  const bAt = b === undefined ? -1 : 2;
  const vAt = V === undefined ? -1 : inputs.length - 1;
  let s: T.Tensor | undefined;
  let slope: T.Tensor | undefined;

  const forward = (hv: Var, wv: Var, ...rest: Var[]): T.Tensor => {
    let z = T.matmul(hv.value, wv.value.transpose());
    if (bAt >= 0) z = T.add(z, rest[0]!.value);
    const zv = z.values();
    const sv = new Float64Array(zv.length);
    const dv = new Float64Array(zv.length);
    act.valueAndSlope(zv, sv, dv);
    s = T.Tensor.view(sv, z.shape);
    slope = T.Tensor.view(dv, z.shape);
    return vAt >= 0 ? T.matmul(s, rest[rest.length - 1]!.value.transpose()) : s;
  };

  const vjp = (ct: Var, _out: Var, ...xs: Var[]): (T.Tensor | Var | null)[] => {
    if (A.isRecording()) {
      const ref = (hv: Var, wv: Var, ...rest: Var[]) =>
        branchReference(
          hv,
          { W: wv, b: bAt >= 0 ? rest[0] : undefined, V: vAt >= 0 ? rest.at(-1) : undefined },
          act,
        );
      return A.vjp(ref, ...xs).pullback(ct);
    }
    const g = ct.value;
    const cts: (T.Tensor | null)[] = xs.map(() => null);
    const gs = vAt >= 0 ? T.matmul(g, xs[vAt]!.value) : g;
    if (vAt >= 0 && xs[vAt]!.requiresGrad) cts[vAt] = T.matmul(g.transpose(), s!);
    const gz = T.mul(gs, slope!);
    if (xs[0]!.requiresGrad) cts[0] = T.matmul(gz, xs[1]!.value);
    if (xs[1]!.requiresGrad) cts[1] = T.matmul(gz.transpose(), xs[0]!.value);
    if (bAt >= 0 && xs[bAt]!.requiresGrad) cts[bAt] = T.sum(gz, 0);
    return cts;
  };

  return A.customVjp(forward as (...xs: Var[]) => T.Tensor, vjp, 'residualBranch')(...inputs);
}
