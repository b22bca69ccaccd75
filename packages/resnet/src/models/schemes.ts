/**
 * A layer as one step of a Runge-Kutta scheme (DESIGN.md, "Neural ODE and the optimal control
 * problem"). With step alpha and the Butcher tableau (c, a, b) of @resode/ode, one layer is
 *
 *   k_i     = f(h_k + alpha sum_{j<i} a_ij k_j, theta at stage i)
 *   h_{k+1} = h_k + alpha sum_i b_i k_i
 *
 * Euler (one stage, b = 1) is the plain ResNet h_{k+1} = h_k + alpha f(h_k, theta_k); RK4 gives a
 * four-branch architecture whose error against the ODE falls as alpha^4.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import type { ButcherTableau } from '@resode/ode';

/** sum_i w_i k_i over the nonzero weights (undefined when all are zero). */
function combine(weights: readonly number[], ks: readonly Var[]): Var | undefined {
  let acc: Var | undefined;
  weights.forEach((w, i) => {
    if (w === 0 || i >= ks.length) return;
    const term = w === 1 ? ks[i]! : A.mul(ks[i]!, w);
    acc = acc === undefined ? term : A.add(acc, term);
  });
  return acc;
}

export function rkLayer(
  h: Var,
  alpha: Var | number,
  tableau: ButcherTableau,
  stage: (i: number, y: Var) => Var,
): Var {
  const needed = neededStages(tableau);
  const ks: Var[] = [];
  for (let i = 0; i < needed.length && needed[i]; i++) {
    const inc = combine(tableau.a[i]!, ks);
    ks.push(stage(i, inc === undefined ? h : A.add(h, A.mul(inc, alpha))));
  }
  const inc = combine(tableau.b, ks);
  return inc === undefined ? h : A.add(h, A.mul(inc, alpha));
}

/**
 * The stages that the step uses: a stage with b_i = 0 that no later stage reads (the FSAL stage of
 * dopri5 and tsit5, which serves only the error estimate) is skipped. Needed stages form a prefix.
 */
export function neededStages(tableau: ButcherTableau): boolean[] {
  const s = tableau.b.length;
  const needed = tableau.b.map((b) => b !== 0);
  for (let i = s - 1; i >= 0; i--) {
    if (!needed[i]) continue;
    tableau.a[i]!.forEach((aij, j) => {
      if (aij !== 0) needed[j] = true;
    });
  }
  const last = needed.lastIndexOf(true);
  return needed.map((_, i) => i <= last);
}
