/**
 * Errors of the SDE solvers. Every message says what was wrong and where: the time, the step size
 * and the step count for a failing step, both shapes for a shape mismatch, the known names for an
 * unknown method.
 */
export class SdeError extends Error {
  override name = 'SdeError';
}
