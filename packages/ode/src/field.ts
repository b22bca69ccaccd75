/**
 * The vector field as the solvers see it: f(t, y) -> dy/dt, with every evaluation counted and its
 * result checked to have the state's shape (so that a wrong field fails at once, naming both
 * shapes and the time, instead of as a broadcasting surprise steps later).
 */
import { isVar, toVar, type Var } from '@resode/autograd';
import { fmtShape, ShapeError, Tensor } from '@resode/tensor';

/** A vector field on states of any shape: dy/dt = f(t, y), same shape as y. */
export type Field = (t: number, y: Var) => Var;

/** What a solve cost. */
export type SolverStats = {
  /** Evaluations of the vector field (including those made to build Jacobians). */
  nfe: number;
  /** Steps accepted (for fixed-step methods: all steps). */
  accepted: number;
  /** Steps rejected by the error control or by a failed Newton iteration. */
  rejected: number;
  /** Jacobians of the field computed (implicit methods only). */
  jacobians: number;
};

export const emptyStats = (): SolverStats => ({ nfe: 0, accepted: 0, rejected: 0, jacobians: 0 });

/** Wraps a user field: counts evaluations in `stats.nfe` and checks the returned shape. */
export function countedField(
  f: (t: number, y: Var) => Var | Tensor,
  shape: readonly number[],
  stats: SolverStats,
  who = 'odeint',
): Field {
  return (t, y) => {
    stats.nfe++;
    const out = f(t, y) as unknown;
    if (!isVar(out) && !(out instanceof Tensor)) {
      throw new ShapeError(`${who}: f(t, y) must return a Var or a Tensor, got ${describe(out)} at t = ${t}`);
    }
    const v = toVar(out);
    if (!sameShape(v.shape, shape)) {
      throw new ShapeError(
        `${who}: f(t, y) returned shape ${fmtShape(v.shape)} at t = ${t}, but the state has shape ${fmtShape(shape)}`,
      );
    }
    return v;
  };
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return x.constructor?.name ?? 'an object';
  return typeof x;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
