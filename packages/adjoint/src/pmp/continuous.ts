/**
 * Pontryagin's maximum principle for an ODE dx/dt = f(t, x, theta) on [t_0, T] with cost
 * J = Phi(x(T)) and constant parameters theta (E, Han, Li 2019, "A mean-field optimal control
 * formulation of deep learning", section 3). With H(t, x, p, theta) = p . f(t, x, theta):
 *
 *   dx/dt = dH/dp = f,      dp/dt = -dH/dx = -(df/dx)^T p,      p(T) = -dPhi/dx(T),
 *   dJ/dtheta = -integral_{t_0}^{T} dH/dtheta (t, x(t), p(t), theta) dt.
 *
 * The costate is minus the adjoint of odeint-adjoint.ts (p = -a, Li et al.'s sign convention, the
 * one of pmp/discrete.ts), so both come out of the same backward solve of the augmented system.
 * When f does not depend on t, H is constant along (x(t), p(t)): a Hamiltonian system conserves
 * its Hamiltonian, a check of the whole costate computation.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import type { ParamField } from '../ode/augmented.js';
import { fieldVjp } from '../ode/augmented.js';
import { type AdjointOptions, backwardSolve, forwardSolve } from '../ode/odeint-adjoint.js';

export type ContinuousPmp = {
  /** The grid of times t_0 < ... < t_N = T where states and costates are reported. */
  ts: number[];
  states: Tensor[];
  /** p(t_i) = -dJ/dx(t_i). */
  costates: Tensor[];
  /** H(t_i) = p(t_i) . f(t_i, x(t_i), theta). */
  hamiltonian: number[];
  /** dH/dtheta at each grid time, one list per time. */
  hamiltonianGrads: Tensor[][];
  /** Phi(x(T)). */
  cost: number;
  /** dJ/dtheta = -integral dH/dtheta dt, from the augmented backward solve. */
  gradients: Tensor[];
};

/** States forward, costates backward on a grid, and the Hamiltonian and its gradient along them. */
export function continuousPmp(
  f: ParamField,
  x0: Tensor,
  grid: readonly number[],
  params: readonly Tensor[],
  terminalLoss: (xT: Var) => Var,
  opts: AdjointOptions = {},
): ContinuousPmp {
  const { ys } = forwardSolve(f, x0, grid, params, opts);
  const N = grid.length - 1;
  const { value, grads } = A.valueAndGrad((x) => terminalLoss(x))(ys[N]!);
  const zero = A.noGrad(() => A.constant(x0).mul(0).value);
  const cts = grid.map((_, i) => (i === N ? grads[0]!.value : zero));
  const back = backwardSolve(f, ys, grid, params, cts, opts, 'continuousPmp');
  const costates = back.adjoints.map((a) => A.noGrad(() => A.neg(a).value));
  const hamiltonian: number[] = [];
  const hamiltonianGrads = grid.map((t, i) => {
    // dH/dtheta = p^T df/dtheta: the VJP of f with cotangent p.
    const { fy, aJparams } = fieldVjp(f, t, ys[i]!, params, costates[i]!, false, 'continuousPmp');
    hamiltonian.push(A.noGrad(() => A.dot(costates[i]!, fy).item()));
    return aJparams;
  });
  return {
    ts: [...grid],
    states: ys,
    costates,
    hamiltonian,
    hamiltonianGrads,
    cost: value.item(),
    gradients: back.aParams,
  };
}
