/**
 * Solving one implicit stage  z = rhs + hg f(t, z)  (hg = h a_ii) by the simplified Newton method
 * (Hairer & Wanner, Solving ODEs II, IV.8): iterate
 *   (I - hg J) dz = -(z - rhs - hg f(t, z)),   z <- z + dz,
 * with J = df/dy taken once per step at (t0, y0) and the matrix factorised once per diagonal value.
 * Values only (noGrad): the gradient of the solution is not the gradient of these iterations but
 * the implicit-function one (stage.ts).
 *
 * Stopping test: with the observed contraction rate theta = |dz_k| / |dz_{k-1}|, the distance to
 * the solution is about theta / (1 - theta) |dz_k| (Hairer & Wanner, IV.8, eq. (8.10)); stop when it
 * is below `tol` in the error norm's units. theta >= 1 (divergence) or too many iterations: failure,
 * and the caller retries with a smaller step.
 */
import { jacobian, noGrad, toVar } from '@resode/autograd';
import { Tensor } from '@resode/tensor';
import { errorRatio } from '../control.js';
import type { Field } from '../field.js';
import type { StepContext } from '../stepper.js';
import { type LU, luFactor, luSolve } from './linalg.js';

/** df/dy at (t, y) as a row-major n x n array (n = y.size), by reverse mode (one VJP per row). */
export function fieldJacobian(f: Field, t: number, y: Tensor, ctx: StepContext): Float64Array {
  ctx.stats.jacobians++;
  return noGrad(() => jacobian((x) => f(t, x), toVar(y)).value.values());
}

/** LU of I - hg J. */
export function newtonMatrix(J: Float64Array, n: number, hg: number): LU {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) m[i] = -hg * J[i]!;
  for (let i = 0; i < n; i++) m[i * n + i]! += 1;
  return luFactor(m, n);
}

export function solveStage(
  f: Field,
  t: number,
  rhs: Tensor,
  hg: number,
  guess: Float64Array,
  lu: LU,
  ctx: StepContext,
  refresh?: (z: Tensor) => LU,
): { z: Tensor } | { failed: string } {
  const shape = rhs.shape;
  const r = rhs.values();
  const z = Float64Array.from(guess);
  const residual = new Float64Array(z.length);
  const { tol, maxIters } = ctx.newton;
  let previous = Number.POSITIVE_INFINITY; // |dz| of the previous iteration with the same matrix
  let refreshes = 0;
  for (let iter = 1; iter <= maxIters; iter++) {
    if (lu.singular) return { failed: 'the Newton matrix I - h*gamma*J is singular' };
    const fz = noGrad(() => f(t, toVar(Tensor.view(Float64Array.from(z), shape))).value.values());
    for (let i = 0; i < z.length; i++) residual[i] = -(z[i]! - r[i]! - hg * fz[i]!);
    const dz = luSolve(lu, residual);
    const next = Float64Array.from(z, (zi, i) => zi + dz[i]!);
    const nt = Tensor.view(next, shape);
    const size = ctx.norm(errorRatio(Tensor.view(dz, shape), nt, nt, ctx.rtol, ctx.atol));
    if (!Number.isFinite(size)) return { failed: 'Newton produced a non-finite iterate' };
    const first = previous === Number.POSITIVE_INFINITY;
    const theta = first ? 0 : size / previous;
    // Diverging, or contracting too slowly to reach tol in the iterations left: the Jacobian is
    // a poor model here. Rebuild it (full Newton) at the last good iterate if allowed, else fail.
    const diverging = theta >= 1;
    if (!first && (diverging || (theta ** (maxIters - iter) / (1 - theta)) * size > tol)) {
      if (refresh === undefined || refreshes >= maxIters) {
        return {
          failed: diverging
            ? `Newton diverged (contraction rate ${theta.toPrecision(3)})`
            : 'Newton converged too slowly',
        };
      }
      refreshes++;
      if (!diverging) z.set(next);
      lu = refresh(Tensor.view(Float64Array.from(z), shape));
      previous = Number.POSITIVE_INFINITY;
      continue;
    }
    z.set(next);
    const remaining = first ? size : (theta / (1 - theta)) * size;
    if (remaining <= tol) return { z: Tensor.view(Float64Array.from(z), shape) };
    previous = size;
  }
  return { failed: `Newton did not converge in ${maxIters} iterations` };
}
