/**
 * The continuous adjoint differentiates f only with respect to y and the declared params: a Var
 * that f closes over silently gets no gradient. We find such Vars on the tape of one evaluation of
 * f: walking back from its output, any leaf that requires grad and is not one of the fresh target
 * Vars for y and params is "foreign".
 */
import type { Var } from '@resode/autograd';
import { fmtShape } from '@resode/tensor';
import { ClosureError } from '../errors.js';

/** Leaves that require grad, reachable from `out` without passing through a target. */
export function foreignLeaves(out: Var, targets: ReadonlySet<Var>): Var[] {
  const found: Var[] = [];
  const seen = new Set<Var>();
  const stack = [out];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (seen.has(v) || targets.has(v) || !v.requiresGrad) continue;
    seen.add(v);
    if (v.node === undefined) found.push(v);
    else for (const x of v.node.inputs) stack.push(x);
  }
  return found;
}

/** Throws a ClosureError naming the foreign Vars (by shape) when there are any. */
export function assertNoClosedOverVars(out: Var, targets: ReadonlySet<Var>, t: number, who: string): void {
  const foreign = foreignLeaves(out, targets);
  if (foreign.length === 0) return;
  const shapes = foreign.map((v) => fmtShape(v.shape)).join(', ');
  throw new ClosureError(
    `${who}: f depends on ${foreign.length} differentiable Var(s) of shape ${shapes} that are not in params ` +
      `(found at t = ${t}). The adjoint method only differentiates with respect to y0 and params: ` +
      'pass them in params and use the params argument of f, or detach them if they are constants.',
  );
}
