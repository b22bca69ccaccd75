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
  return fused(h, weights, act, undefined);
}

/**
 * The Euler layer h + alpha V sigma(W h + b) as one node: the residual sum and the scaling by a
 * fixed alpha folded in (forward: f is added to h in place; backward: dh = g + gz W and the branch
 * sees alpha g), which saves two elementwise passes and their VJPs per layer.
 */
export function fusedEulerStep(h: Var, weights: BranchWeights, act: Activation, alpha: number): Var {
  return fused(h, weights, act, alpha);
}

function fused(h: Var, weights: BranchWeights, act: Activation, alpha: number | undefined): Var {
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
    const f = vAt >= 0 ? T.matmul(s, rest[rest.length - 1]!.value.transpose()) : s;
    if (alpha === undefined) return f;
    // out = h + alpha f, written over f (a fresh array unless f is s, which the VJP keeps)
    const out = f === s ? new Float64Array(sv.length) : f.values();
    const fv = f.values();
    const hvals = hv.value.values();
    for (let i = 0; i < out.length; i++) out[i] = hvals[i]! + alpha * fv[i]!;
    return T.Tensor.view(out, f.shape);
  };

  const vjp = (ct: Var, _out: Var, ...xs: Var[]): (T.Tensor | Var | null)[] => {
    if (A.isRecording()) {
      const ref = (hv: Var, wv: Var, ...rest: Var[]) => {
        const weights = { W: wv, b: bAt >= 0 ? rest[0] : undefined, V: vAt >= 0 ? rest.at(-1) : undefined };
        const f = branchReference(hv, weights, act);
        return alpha === undefined ? f : A.add(hv, A.mul(f, alpha));
      };
      return A.vjp(ref, ...xs).pullback(ct);
    }
    // g = dLoss/df (for the Euler step, alpha times dLoss/dout)
    const g = alpha === undefined ? ct.value : T.mul(ct.value, alpha);
    const cts: (T.Tensor | null)[] = xs.map(() => null);
    if (vAt >= 0 && xs[vAt]!.requiresGrad) cts[vAt] = T.matmul(g.transpose(), s!);
    // gz = (g V) * sigma'(z), multiplied in place (gz is a fresh array)
    const gz = vAt >= 0 ? T.matmul(g, xs[vAt]!.value) : T.copy(g);
    const gzv = gz.values();
    const dv = slope!.values();
    for (let i = 0; i < gzv.length; i++) gzv[i]! *= dv[i]!;
    if (xs[0]!.requiresGrad) {
      const dh = T.matmul(gz, xs[1]!.value);
      if (alpha !== undefined) {
        // the residual connection: dLoss/dh = dLoss/dout + (branch part)
        const dhv = dh.values();
        const cv = ct.value.values();
        for (let i = 0; i < dhv.length; i++) dhv[i]! += cv[i]!;
      }
      cts[0] = dh;
    }
    if (xs[1]!.requiresGrad) cts[1] = T.matmul(gz.transpose(), xs[0]!.value);
    if (bAt >= 0 && xs[bAt]!.requiresGrad) cts[bAt] = T.sum(gz, 0);
    return cts;
  };

  return A.customVjp(
    forward as (...xs: Var[]) => T.Tensor,
    vjp,
    alpha === undefined ? 'residualBranch' : 'eulerStep',
    // The forward returns an array of its own (kept only by this node, for its VJP) and the VJP
    // makes fresh cotangents: the engine may reuse both (valueAndGrad's reuseStorage).
    { recyclable: true },
  )(...inputs);
}
