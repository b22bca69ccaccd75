/**
 * The public entry points: odeint (the DESIGN contract) and odeSolve (the same solve, with its
 * statistics and events).
 */
import { stack, type Var } from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { OdeOptionsError } from './errors.js';
import type { EventResult } from './events.js';
import type { SolverStats } from './field.js';
import type { OdeintOptions, SolveOptions } from './options.js';
import { solve } from './solve.js';

/**
 * Solves dy/dt = f(t, y), y(ts[0]) = y0, and returns the states at ts stacked along a new first
 * axis: shape [ts.length, ...y0.shape], result[0] = y0. ts may increase or decrease. Gradients flow
 * to y0 and to every Var that f closes over (backprop through the solver).
 */
export function odeint(
  f: (t: number, y: Var) => Var | Tensor,
  y0: Var | Tensor,
  ts: readonly number[],
  opts: OdeintOptions = {},
): Var {
  if ((opts as SolveOptions).event !== undefined) {
    throw new OdeOptionsError('odeint: events stop the solve early, use odeSolve (its ys end at the event)');
  }
  return stack(solve(f, y0, ts, opts, 'odeint').ys);
}

export type OdeSolution = {
  /** States at the output times reached, shape [ts.length, ...y0.shape] (fewer rows if an event stopped the solve). */
  ys: Var;
  /** The output times reached. */
  ts: number[];
  /** Function evaluations, accepted and rejected steps, Jacobians. */
  stats: SolverStats;
  /** Present when the event function had a root: its time t (a scalar Var) and the state y there. */
  event?: EventResult;
  /** The step size an adaptive solve would try next. */
  nextStep: number | undefined;
};

/** odeint with everything else the solve knows: statistics, and the event if opts.event is given. */
export function odeSolve(
  f: (t: number, y: Var) => Var | Tensor,
  y0: Var | Tensor,
  ts: readonly number[],
  opts: SolveOptions = {},
): OdeSolution {
  const r = solve(f, y0, ts, opts, 'odeSolve');
  return { ...r, ys: stack(r.ys) };
}
