/**
 * The one generic explicit Runge-Kutta step, for every tableau in tableaux/ (DESIGN.md, habit 7):
 *
 *   k_0 = f(t0, y0)                                  (given: the loop reuses it across steps)
 *   k_i = f(t0 + c_i h, y0 + h sum_{j<i} a_ij k_j)
 *   y1  = y0 + h sum_i b_i k_i,        err = h sum_i bErr_i k_i
 *
 * The tape holds exactly the stages and one linear-combination node per stage state (plus one for
 * y1 unless FSAL, where the last stage state IS y1). The error estimate is computed from values and
 * never recorded: step-size control must not be differentiated.
 */
import type { Var } from '@resode/autograd';
import { Tensor } from '@resode/tensor';
import { hermiteInterpolant, polynomialInterpolant } from './interpolation.js';
import { linearCombination } from './linear-combination.js';
import { Lazy, type Stepper } from './stepper.js';
import type { ButcherTableau } from './tableaux/index.js';

export function explicitRk(tableau: ButcherTableau): Stepper {
  const { c, a, b, bErr, fsal } = tableau;
  const s = c.length;
  return {
    name: tableau.name,
    order: tableau.order,
    errorOrder: tableau.errorOrder,
    step(f, t0, y0, h, f0) {
      const k: Var[] = [f0];
      let yLast: Var | undefined;
      for (let i = 1; i < s; i++) {
        const yi = linearCombination([y0, ...k], [1, ...a[i]!.map((aij) => h * aij)]);
        // An FSAL method's last stage sits at t1 = t0 + h exactly, on y1 itself.
        const ti = fsal && i === s - 1 ? t0 + h : t0 + c[i]! * h;
        if (fsal && i === s - 1) yLast = yi;
        k.push(f(ti, yi));
      }
      const y1 = yLast ?? linearCombination([y0, ...k], [1, ...b.map((bi) => h * bi)]);
      const yErr = bErr === undefined ? undefined : errorEstimate(k, bErr, h);
      const f1 = fsal ? Lazy.of(k[s - 1]!) : new Lazy(() => f(t0 + h, y1));
      const dense =
        tableau.dense?.kind === 'polynomial'
          ? polynomialInterpolant(tableau, t0, h, y0, k)
          : hermiteInterpolant(t0, h, y0, y1, f0, f1);
      return { y1, yErr, dense, f1 };
    },
  };
}

/** h sum_i e_i k_i on values. */
export function errorEstimate(k: readonly Var[], e: readonly number[], h: number): Tensor {
  const out = new Float64Array(k[0]!.size);
  k.forEach((ki, i) => {
    const w = h * e[i]!;
    if (w === 0) return;
    const v = ki.value.values();
    for (let n = 0; n < out.length; n++) out[n] += w * v[n]!;
  });
  return Tensor.view(out, k[0]!.shape);
}
