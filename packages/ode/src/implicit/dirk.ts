/**
 * The generic diagonally implicit Runge-Kutta step (one for every DIRK tableau):
 *
 *   for each stage i:  rhs_i = y0 + h sum_{j<i} a_ij k_j
 *                      z_i   = rhs_i + h a_ii f(t0 + c_i h, z_i)      (Newton, newton.ts)
 *                      k_i   = (z_i - rhs_i) / (h a_ii)               (= f(t_i, z_i), no extra call)
 *   y1 = z_last if stiffly accurate, else y0 + h sum_i b_i k_i;  err = h sum_i bErr_i k_i.
 *
 * Writing k_i from z_i rather than calling f again is the usual choice for stiff problems: it
 * does not amplify the Newton error by the stiff Jacobian (Hairer & Wanner, IV.8). Dense output is
 * cubic Hermite; for stiffly accurate methods with c_last = 1, k_last = f(t1, y1) is free (FSAL).
 */
import type { Var } from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { errorEstimate } from '../explicit.js';
import { hermiteInterpolant } from '../interpolation.js';
import { linearCombination } from '../linear-combination.js';
import { Lazy, type Stepper } from '../stepper.js';
import type { DirkTableau } from './dirk-tableau.js';
import type { LU } from './linalg.js';
import { fieldJacobian, newtonMatrix, solveStage } from './newton.js';
import { differentiableStage } from './stage.js';

export function dirk(tableau: DirkTableau): Stepper {
  const { c, a, b, bErr, stifflyAccurate } = tableau;
  const s = c.length;
  // The Jacobian at the start of a step is reused when a rejected step is retried from the same
  // state (same Var, same t0).
  const jacobians = new WeakMap<Var, { t0: number; J: Float64Array }>();
  return {
    name: tableau.name,
    order: tableau.order,
    errorOrder: tableau.errorOrder,
    step(f, t0, y0, h, f0, ctx) {
      const n = y0.size;
      let J = jacobians.get(y0);
      const newtonLU = new Map<number, LU>();
      const k: Var[] = [];
      let zLast = y0;
      for (let i = 0; i < s; i++) {
        const ti = t0 + c[i]! * h;
        const row = a[i]!;
        const rhs = linearCombination([y0, ...k], [1, ...row.slice(0, i).map((aij) => h * aij)]);
        const hg = h * row[i]!;
        if (hg === 0) {
          k.push(i === 0 && c[0] === 0 ? f0 : f(ti, rhs));
          zLast = rhs;
          continue;
        }
        if (J === undefined || J.t0 !== t0) {
          J = { t0, J: fieldJacobian(f, t0, y0.value, ctx) };
          jacobians.set(y0, J);
        }
        let lu = newtonLU.get(hg);
        if (lu === undefined) newtonLU.set(hg, (lu = newtonMatrix(J.J, n, hg)));
        // Predictor: rhs itself (the stage with its implicit term dropped). Extrapolating a slope
        // from earlier stages converges faster on smooth problems but can throw Newton far off
        // on stiff ones, where the slopes are huge.
        const guess = Float64Array.from(rhs.value.values());
        // If the Jacobian of the step's start is a poor model at this stage (e.g. f = t g(y) at
        // t0 = 0), Newton rebuilds it at its current iterate; later stages then use that one.
        const refresh = (z: Tensor) => {
          J = { t0, J: fieldJacobian(f, ti, z, ctx) };
          newtonLU.clear();
          const m = newtonMatrix(J.J, n, hg);
          newtonLU.set(hg, m);
          return m;
        };
        const solved = solveStage(f, ti, rhs.value, hg, guess, lu, ctx, refresh);
        if ('failed' in solved) return solved;
        const z = differentiableStage(f, ti, solved.z, rhs, hg, ctx);
        k.push(linearCombination([z, rhs], [1 / hg, -1 / hg]));
        zLast = z;
      }
      const y1 = stifflyAccurate ? zLast : linearCombination([y0, ...k], [1, ...b.map((bi) => h * bi)]);
      const yErr = bErr === undefined ? undefined : errorEstimate(k, bErr, h);
      const f1 = stifflyAccurate && c[s - 1] === 1 ? Lazy.of(k[s - 1]!) : new Lazy(() => f(t0 + h, y1));
      return { y1, yErr, dense: hermiteInterpolant(t0, h, y0, y1, f0, f1), f1 };
    },
  };
}
