/** Base class of errors raised by @resode/adjoint. */
export class AdjointError extends Error {
  override name = 'AdjointError';
}

/**
 * The vector field of an adjoint solve depends on a differentiable Var that is not in `params`:
 * the continuous adjoint cannot see it, so its gradient would silently be lost.
 */
export class ClosureError extends AdjointError {
  override name = 'ClosureError';
}

/** The backward (adjoint) solve failed; `t` is the backward time it had reached. */
export class AdjointSolveError extends AdjointError {
  override name = 'AdjointSolveError';
  readonly t: number;
  constructor(message: string, t: number, options?: { cause?: unknown }) {
    super(message, options);
    this.t = t;
  }
}

/** An optimiser was given something it cannot work with (a non-finite value, a bad option). */
export class OptimizeError extends AdjointError {
  override name = 'OptimizeError';
}
