/**
 * Dense output: the solution at any t inside a step, from what the step computed, so that output
 * times never force extra steps.
 *
 * - A method with its own continuous extension (dopri5, tsit5) uses it:
 *     y(t0 + theta h) = y0 + h sum_i b_i(theta) k_i,       b_i(1) = b_i,
 *   of order 4 for both (Shampine 1986; Tsitouras 2011).
 * - Any other method uses the cubic Hermite interpolant through y0, y1 and the slopes f0 = f(t0, y0),
 *   f1 = f(t1, y1) (Hairer, Norsett, Wanner, Solving ODEs I, II.6, eq. (6.7)):
 *     y(t0 + theta h) = (1 - theta) y0 + theta y1
 *                       + theta (theta - 1) [ (1 - 2 theta)(y1 - y0) + (theta - 1) h f0 + theta h f1 ],
 *   written below in the Hermite basis h00, h10, h01, h11. It is third-order accurate (local error
 *   O(h^4)), whatever the order of the method.
 */
import type { Var } from '@resode/autograd';
import { linearCombination } from './linear-combination.js';
import type { Interpolant, Lazy } from './stepper.js';
import { type ButcherTableau, denseWeights } from './tableaux/index.js';

export function polynomialInterpolant(
  tableau: ButcherTableau,
  t0: number,
  h: number,
  y0: Var,
  k: readonly Var[],
): Interpolant {
  return {
    t0,
    t1: t0 + h,
    at(t) {
      if (t === t0) return y0;
      const w = denseWeights(tableau, (t - t0) / h);
      return linearCombination([y0, ...k], [1, ...w.map((wi) => h * wi)]);
    },
  };
}

export function hermiteInterpolant(
  t0: number,
  h: number,
  y0: Var,
  y1: Var,
  f0: Var,
  f1: Lazy<Var>,
): Interpolant {
  return {
    t0,
    t1: t0 + h,
    at(t) {
      if (t === t0) return y0;
      const s = (t - t0) / h;
      const s2 = s * s;
      const s3 = s2 * s;
      const h00 = 2 * s3 - 3 * s2 + 1;
      const h10 = s3 - 2 * s2 + s;
      const h01 = -2 * s3 + 3 * s2;
      const h11 = s3 - s2;
      return linearCombination([y0, f0, y1, f1.get()], [h00, h * h10, h01, h * h11]);
    },
  };
}
