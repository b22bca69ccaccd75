/**
 * @resode/ode: explicit and implicit ODE solvers and SDE solvers, differentiable by construction
 * (autograd records every step). This file is the whole public surface.
 *
 * Everyday use:
 *   odeint(f, y0, ts, opts?)    -> Var [ts.length, ...y0.shape]   (the DESIGN contract)
 *   odeSolve(f, y0, ts, opts?)  -> { ys, ts, stats, event?, nextStep }  (statistics, events)
 *
 * Building blocks, for solvers built on this one (the adjoint method integrates its augmented
 * state [y, a_y, a_params] backwards with exactly these):
 *   solve(f, y0, ts, opts)   the integration loop: any state shape, increasing or decreasing ts,
 *                            opts.norm (e.g. a seminorm), opts.firstStep / result.nextStep to chain
 *                            solves interval by interval; returns the states as a list.
 *   getMethod(name), METHODS the steppers by name; explicitRk(tableau), dirk(tableau) make new ones.
 *   Stepper.step(f, t0, y0, h, f0, ctx) -> { y1, yErr, dense, f1 }   one step, nothing else.
 *   rmsNorm, errorRatio, PIController, initialStep   step-size control on values.
 *   linearCombination(terms, coefs)                  sum_j c_j x_j as one tape node.
 */
export {
  type ControllerOptions,
  defaultController,
  errorRatio,
  initialStep,
  PIController,
  rmsNorm,
} from './control.js';
export { OdeOptionsError, SolverError } from './errors.js';
export { crosses, type EventOptions, type EventResult, findRoot } from './events.js';
export { explicitRk } from './explicit.js';
export { countedField, type Field, type SolverStats } from './field.js';
export { dirk } from './implicit/dirk.js';
export { type DirkTableau, defineDirkTableau } from './implicit/dirk-tableau.js';
export { implicitEuler } from './implicit/implicit-euler.js';
export { kvaerno3 } from './implicit/kvaerno3.js';
export { hermiteInterpolant, polynomialInterpolant } from './interpolation.js';
export { linearCombination } from './linear-combination.js';
export {
  getMethod,
  type ImplicitMethodName,
  isAdaptive,
  METHOD_NAMES,
  METHODS,
  type MethodName,
} from './methods.js';
export { type OdeSolution, odeint, odeSolve } from './odeint.js';
export { checkTimes, type OdeintOptions, type SolveOptions } from './options.js';
export * from './sde/index.js';
export { type SolveResult, solve } from './solve.js';
export {
  type Interpolant,
  Lazy,
  type NewtonOptions,
  type Norm,
  type StepContext,
  type StepFailure,
  type Stepper,
  type StepResult,
} from './stepper.js';
export * from './tableaux/index.js';
