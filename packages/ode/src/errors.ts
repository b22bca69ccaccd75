/**
 * The two kinds of failure of an ODE solve: bad input, detected before the first step
 * (OdeOptionsError), and a solve that cannot go on (SolverError), which says where it stopped.
 * A vector field returning the wrong shape throws @resode/tensor's ShapeError.
 */

/** Invalid arguments: unsorted ts, unknown method, missing stepSize, non-positive tolerances... */
export class OdeOptionsError extends Error {
  override name = 'OdeOptionsError';
}

/**
 * The solver had to stop: the step size fell below the minimum, more than maxSteps steps were
 * needed, the state became non-finite, or Newton's method failed at a fixed step size.
 * `t` is the time reached, `h` the step size being tried, `steps` the steps taken so far.
 */
export class SolverError extends Error {
  override name = 'SolverError';
  readonly t: number;
  readonly h: number;
  readonly steps: number;

  constructor(reason: string, where: { t: number; h: number; steps: number }) {
    super(`${reason} (at t = ${where.t}, step size h = ${where.h}, after ${where.steps} steps)`);
    this.t = where.t;
    this.h = where.h;
    this.steps = where.steps;
  }
}
