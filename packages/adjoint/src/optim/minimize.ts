/**
 * The optimisers on functions of a list of Vars, the shape autograd works with: `f(...xs)` returns
 * a scalar Var; value and gradients come from `valueAndGrad`, and the Vars are flattened into one
 * vector for the optimiser.
 */
import { type Fn, toVar, type VarLike, valueAndGrad } from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { OptimizeError } from '../errors.js';
import { flatten, unflatten } from '../flat.js';
import {
  type GradientDescentOptions,
  type LbfgsOptions,
  minimizeGradientDescent,
  minimizeLbfgs,
  type VectorMinimizeResult,
} from './lbfgs.js';
import type { VectorObjective } from './line-search.js';

export type MinimizeResult = Omit<VectorMinimizeResult, 'x' | 'grad'> & { xs: Tensor[]; grads: Tensor[] };

/** The vector objective of f: x -> (f, grad f) through autograd. */
export function vectorObjective(f: Fn, shapes: readonly (readonly number[])[]): VectorObjective {
  const vg = valueAndGrad(f);
  return (x) => {
    const { value, grads } = vg(...unflatten(x, shapes));
    if (value.size !== 1)
      throw new OptimizeError(`the objective must return a scalar, got ${value.size} values`);
    return { value: value.item(), grad: flatten(grads.map((g) => g.value)) };
  };
}

function run(
  f: Fn,
  x0: readonly VarLike[],
  method: (f: VectorObjective, x: Float64Array) => VectorMinimizeResult,
): MinimizeResult {
  const start = x0.map((x) => toVar(x).value);
  const shapes = start.map((t) => t.shape);
  const { x, grad, ...rest } = method(vectorObjective(f, shapes), flatten(start));
  return { ...rest, xs: unflatten(x, shapes), grads: unflatten(grad, shapes) };
}

/** Minimises f(...xs) by L-BFGS from x0 (one tensor per argument of f). */
export function lbfgs(f: Fn, x0: readonly VarLike[], opts: LbfgsOptions = {}): MinimizeResult {
  return run(f, x0, (g, x) => minimizeLbfgs(g, x, opts));
}

/** Minimises f(...xs) by plain gradient descent (fixed step, or Armijo backtracking by default). */
export function gradientDescent(
  f: Fn,
  x0: readonly VarLike[],
  opts: GradientDescentOptions = {},
): MinimizeResult {
  return run(f, x0, (g, x) => minimizeGradientDescent(g, x, opts));
}
