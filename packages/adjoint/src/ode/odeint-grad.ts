/**
 * One entry point for the three ways to differentiate an ODE solve:
 *
 *   'backprop'    discretise-then-optimise: autograd records every operation of the solver and
 *                 backpropagates through them. Exact gradient of the discrete solution; memory
 *                 grows with the number of steps (the tape).
 *   'checkpoint'  the same exact gradient, recomputing states from a bounded number of checkpoints
 *                 (checkpoint.ts). Memory O(checkpoints), time O(r N) with r recomputations per step.
 *   'adjoint'     optimise-then-discretise: the continuous adjoint, solved backwards with the same
 *                 kind of solver (odeint-adjoint.ts). Memory O(1) in the steps; the gradient is that
 *                 of the exact flow, up to the tolerances of both solves, not that of the discrete
 *                 solution.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import { odeSolve } from '@resode/ode';
import type { Tensor } from '@resode/tensor';
import { AdjointError } from '../errors.js';
import type { ParamField } from './augmented.js';
import { type CheckpointOptions, odeintCheckpointed } from './checkpoint.js';
import { type AdjointOptions, odeintAdjoint } from './odeint-adjoint.js';

export type GradientStrategy = 'backprop' | 'checkpoint' | 'adjoint';

export type OdeintGradOptions = AdjointOptions &
  CheckpointOptions & {
    /** How gradients are computed (default 'backprop'). */
    gradient?: GradientStrategy;
  };

/** Tensors of y's size on the tape behind `out` (a measure of backprop's memory). */
export function tapeStates(out: Var, stateSize: number): number {
  const seen = new Set<Var>();
  const stack = [out];
  let count = 0;
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    if (v.size === stateSize) count++;
    if (v.node) for (const x of v.node.inputs) stack.push(x);
  }
  return count;
}

/**
 * odeint(f(., ., params), y0, ts) with the gradient strategy of opts.gradient. The result is the
 * same Var [ts.length, ...y0.shape] for all three; gradients reach y0 and params.
 */
export function odeintGrad(
  f: ParamField,
  y0: Var | Tensor,
  ts: readonly number[],
  params: readonly Var[],
  opts: OdeintGradOptions = {},
): Var {
  const { gradient = 'backprop', ...rest } = opts;
  switch (gradient) {
    case 'backprop': {
      const { stats, ...odeOpts } = rest;
      const r = odeSolve((t, y) => f(t, y, [...params]), y0, ts, odeOpts);
      if (stats) {
        stats.nfeForward += r.stats.nfe;
        stats.stepsForward += r.stats.accepted;
        stats.rejectedForward += r.stats.rejected;
        stats.peakStoredStates = Math.max(stats.peakStoredStates, tapeStates(r.ys, A.toVar(y0).size));
      }
      return r.ys;
    }
    case 'checkpoint':
      return odeintCheckpointed(f, y0, ts, params, rest);
    case 'adjoint':
      return odeintAdjoint(f, y0, ts, params, rest);
    default:
      throw new AdjointError(
        `gradient must be 'backprop', 'checkpoint' or 'adjoint', got '${String(gradient satisfies never)}'`,
      );
  }
}
