/**
 * SGD over controls theta(t) in L^2([0, T]): training a ResNet of L layers as the Euler scheme of
 * dx/dt = f(x, theta(t)), with theta piecewise constant on L cells of width h = T / L.
 *
 * The cost J depends on the control function; its L^2 gradient is the function g with
 * dJ[delta] = integral g(t) . delta(t) dt, namely (the continuous maximum principle)
 *   g(t) = -dH/dtheta (x(t), p(t), theta(t)) = a(t)^T df/dtheta + dR/dtheta,   a = -p.
 * For a piecewise constant control, delta is constant on each cell and the integral is a sum:
 * dJ/dtheta_k = h g_k, so g_k = dJ/dtheta_k / h = -dH_k/dtheta (pmp/discrete.ts with alpha = h).
 * The L^2 gradient step is therefore
 *   theta_k <- theta_k - eta g_k = theta_k - eta (L / T) dJ/dtheta_k,
 * whose result depends on L only through the discretisation error: as L grows, training follows a
 * limit trajectory of control functions (mesh independence). The Euclidean step
 * theta_k <- theta_k - eta dJ/dtheta_k is h times smaller and slows down as the mesh is refined.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { AdjointError } from './errors.js';
import {
  type Controls,
  evaluateCost,
  type LayerField,
  pmpSweep,
  type ResidualControlProblem,
} from './pmp/discrete.js';

/** An optimal control problem over [0, horizon] with a control function theta(t). */
export type ContinuousControlProblem = {
  field: LayerField;
  terminalLoss: (xT: Var) => Var;
  /** R(theta(t)); the cost adds its integral over [0, horizon]. */
  regularizer?: (theta: readonly Var[]) => Var;
  /** T (default 1). */
  horizon?: number;
};

/** The ResNet discretisation of the problem on L cells: the Euler scheme with alpha = T / L. */
export function discretize(problem: ContinuousControlProblem, cells: number): ResidualControlProblem {
  if (!Number.isInteger(cells) || cells < 1)
    throw new AdjointError(`cells must be a positive integer, got ${cells}`);
  const horizon = problem.horizon ?? 1;
  if (!(horizon > 0)) throw new AdjointError(`the horizon must be > 0, got ${horizon}`);
  return { ...problem, alpha: horizon / cells };
}

/** Samples a control function at the midpoints of L cells of [0, T]: a piecewise constant control. */
export function piecewiseConstant(theta: (t: number) => Tensor[], cells: number, horizon = 1): Tensor[][] {
  if (!Number.isInteger(cells) || cells < 1)
    throw new AdjointError(`cells must be a positive integer, got ${cells}`);
  return Array.from({ length: cells }, (_, k) => theta(((k + 0.5) * horizon) / cells));
}

/** The cost and its L^2 gradient g_k = -dH_k/dtheta on each cell. */
export function l2Gradient(
  problem: ContinuousControlProblem,
  x0: Tensor,
  controls: Controls,
): { cost: number; gradient: Tensor[][] } {
  const sweep = pmpSweep(discretize(problem, controls.length), x0, controls);
  return {
    cost: sweep.cost,
    gradient: sweep.hamiltonianGrads.map((gs) => gs.map((g) => A.noGrad(() => A.neg(g).value))),
  };
}

export type FunctionSpaceSgdOptions = {
  learningRate: number;
  steps: number;
  /** 'L2' (default): the step of the L^2 metric, mesh independent; 'euclidean': theta_k -= eta dJ/dtheta_k. */
  metric?: 'L2' | 'euclidean';
  /** The mini-batch of step i; by default the x0 given (full-batch gradient descent). */
  batch?: (step: number) => { x0: Tensor; terminalLoss: (xT: Var) => Var };
  onStep?: (info: { step: number; cost: number }) => void;
};

export type FunctionSpaceSgdResult = {
  controls: Tensor[][];
  /** The cost on each step's batch before its update, then the cost on the full x0 after the last step. */
  costs: number[];
};

/** SGD on a piecewise constant control in the L^2 (or Euclidean) metric. */
export function functionSpaceSgd(
  problem: ContinuousControlProblem,
  x0: Tensor,
  controls0: Controls,
  opts: FunctionSpaceSgdOptions,
): FunctionSpaceSgdResult {
  if (!(opts.learningRate > 0))
    throw new AdjointError(`the learning rate must be > 0, got ${opts.learningRate}`);
  if (!Number.isInteger(opts.steps) || opts.steps < 0) {
    throw new AdjointError(`steps must be a non-negative integer, got ${opts.steps}`);
  }
  const discrete = discretize(problem, controls0.length);
  // Euclidean: dJ/dtheta_k = h g_k, so the same update written with g is scaled by h.
  const scale = opts.metric === 'euclidean' ? discrete.alpha : 1;
  let controls = controls0.map((th) => [...th]);
  const costs: number[] = [];
  for (let step = 0; step < opts.steps; step++) {
    const b = opts.batch?.(step);
    const p = b ? { ...problem, terminalLoss: b.terminalLoss } : problem;
    const { cost, gradient } = l2Gradient(p, b ? b.x0 : x0, controls);
    if (!Number.isFinite(cost)) {
      throw new AdjointError(
        `functionSpaceSgd: the cost is ${cost} at step ${step} (learning rate ${opts.learningRate})`,
      );
    }
    costs.push(cost);
    opts.onStep?.({ step, cost });
    controls = controls.map((theta, k) =>
      theta.map((t, i) => A.noGrad(() => A.sub(t, A.mul(gradient[k]![i]!, opts.learningRate * scale)).value)),
    );
  }
  costs.push(evaluateCost(discrete, x0, controls));
  return { controls, costs };
}
