/**
 * The options of odeint / solve, their defaults, and the checks that turn bad input into an
 * OdeOptionsError before any step is taken.
 */
import { type ControllerOptions, defaultController, rmsNorm } from './control.js';
import { OdeOptionsError } from './errors.js';
import type { EventOptions } from './events.js';
import { getMethod, type MethodName } from './methods.js';
import type { NewtonOptions, Norm, Stepper } from './stepper.js';

export interface OdeintOptions {
  /** A method name (default 'dopri5') or a Stepper of your own. */
  method?: MethodName | Stepper;
  /** Relative tolerance of adaptive methods (default 1e-7). */
  rtol?: number;
  /** Absolute tolerance of adaptive methods (default 1e-9). */
  atol?: number;
  /**
   * Fixed step size: steps of at most stepSize through each interval between output times (no error
   * control). Required by methods without an error estimate (euler, midpoint, heun, ralston, rk4,
   * implicit-euler); makes adaptive methods fixed-step too.
   */
  stepSize?: number;
  /** First step of an adaptive solve (default: Hairer's selection). */
  firstStep?: number;
  /** Smallest step size allowed before a SolverError (default 0: only rounding stops it). */
  minStep?: number;
  /** Largest step size (default Infinity). */
  maxStep?: number;
  /** Most steps tried (accepted + rejected) before a SolverError (default 10000 for adaptive solves, unlimited for fixed steps). */
  maxSteps?: number;
  /** Times the solver must step to (where f is not smooth), without restarting. */
  stepTimes?: readonly number[];
  /** Times where f jumps: the solver steps to them and re-evaluates f after (no FSAL across). */
  jumpTimes?: readonly number[];
  /** PI controller coefficients (default: I controller, safety 0.9, factors in [0.2, 10]). */
  controller?: Partial<ControllerOptions>;
  /** Norm of the error ratio (default RMS); e.g. a seminorm over part of the state. */
  norm?: Norm;
  /**
   * Norm used by the first-step selection only (default: `norm`). The adjoint uses the norm over
   * y and a: a_theta starts at 0, and Hairer's heuristic, which weighs the state against its
   * derivative, would take that empty scale for a very fast component and start with a tiny step.
   */
  firstStepNorm?: Norm;
  /** Newton iteration of implicit methods (default tol 1e-4 of the error tolerance, 12 iterations). */
  newton?: Partial<NewtonOptions>;
}

export interface SolveOptions extends OdeintOptions {
  /** Stop at the first root of an event function (see events.ts). */
  event?: EventOptions;
}

export type ResolvedOptions = {
  stepper: Stepper;
  rtol: number;
  atol: number;
  stepSize: number | undefined;
  firstStep: number | undefined;
  minStep: number;
  maxStep: number;
  maxSteps: number;
  stepTimes: readonly number[];
  jumpTimes: readonly number[];
  controller: ControllerOptions;
  norm: Norm;
  firstStepNorm: Norm;
  newton: NewtonOptions;
  event: EventOptions | undefined;
};

const fail = (msg: string): never => {
  throw new OdeOptionsError(msg);
};

function positive(name: string, x: unknown, allowInfinity = false): number {
  if (typeof x !== 'number' || !(x > 0) || (!allowInfinity && !Number.isFinite(x))) {
    fail(`${name} must be a positive number, got ${String(x)}`);
  }
  return x as number;
}

/** ts must be finite and strictly monotone (increasing or decreasing). */
export function checkTimes(ts: readonly number[], who = 'odeint'): void {
  if (!Array.isArray(ts) || ts.length === 0) fail(`${who}: ts must be a non-empty array of times`);
  ts.forEach((t, i) => {
    if (typeof t !== 'number' || !Number.isFinite(t))
      fail(`${who}: ts[${i}] = ${String(t)} is not a finite number`);
  });
  if (ts.length < 2) return;
  const dir = Math.sign(ts[1]! - ts[0]!);
  for (let i = 1; i < ts.length; i++) {
    if (Math.sign(ts[i]! - ts[i - 1]!) !== dir || dir === 0) {
      fail(
        `${who}: ts must be strictly increasing or strictly decreasing, but ts[${i}] = ${ts[i]} follows ts[${i - 1}] = ${ts[i - 1]}` +
          (dir === 0 ? '' : ` in a ${dir > 0 ? 'increasing' : 'decreasing'} sequence`),
      );
    }
  }
}

export function resolveOptions(opts: SolveOptions, who = 'odeint'): ResolvedOptions {
  const m = opts.method ?? 'dopri5';
  const stepper = typeof m === 'string' ? getMethod(m) : m;
  if (typeof stepper?.step !== 'function') fail(`${who}: method must be a method name or a Stepper`);
  const rtol = opts.rtol === undefined ? 1e-7 : positive('rtol', opts.rtol);
  const atol = opts.atol === undefined ? 1e-9 : positive('atol', opts.atol);
  const stepSize = opts.stepSize === undefined ? undefined : positive('stepSize', opts.stepSize);
  if (stepSize === undefined && stepper.errorOrder === undefined) {
    fail(
      `${who}: method '${stepper.name}' is fixed-step (it has no error estimate): pass opts.stepSize, e.g. { method: '${stepper.name}', stepSize: 0.01 }`,
    );
  }
  const maxSteps = opts.maxSteps ?? (stepSize === undefined ? 10_000 : Number.POSITIVE_INFINITY);
  if (!(Number.isInteger(maxSteps) && maxSteps > 0) && maxSteps !== Number.POSITIVE_INFINITY) {
    fail(`maxSteps must be a positive integer, got ${maxSteps}`);
  }
  const minStep = opts.minStep ?? 0;
  if (!(minStep >= 0 && Number.isFinite(minStep)))
    fail(`minStep must be a finite number >= 0, got ${minStep}`);
  const times = (name: string, xs: readonly number[] | undefined) => {
    for (const x of xs ?? []) if (!Number.isFinite(x)) fail(`${name} must hold finite numbers, got ${x}`);
    return xs ?? [];
  };
  if (opts.event !== undefined && typeof opts.event.fn !== 'function') {
    fail(`${who}: event.fn must be a function g(t, y) returning a scalar`);
  }
  const newton = { tol: 1e-4, maxIters: 12, ...opts.newton };
  positive('newton.tol', newton.tol);
  positive('newton.maxIters', newton.maxIters);
  return {
    stepper,
    rtol,
    atol,
    stepSize,
    firstStep: opts.firstStep === undefined ? undefined : positive('firstStep', opts.firstStep),
    minStep,
    maxStep: opts.maxStep === undefined ? Number.POSITIVE_INFINITY : positive('maxStep', opts.maxStep, true),
    maxSteps,
    stepTimes: times('stepTimes', opts.stepTimes),
    jumpTimes: times('jumpTimes', opts.jumpTimes),
    controller: { ...defaultController, ...opts.controller },
    norm: opts.norm ?? rmsNorm,
    firstStepNorm: opts.firstStepNorm ?? opts.norm ?? rmsNorm,
    newton,
    event: opts.event,
  };
}
