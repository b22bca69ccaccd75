/**
 * Pontryagin's maximum principle for a discrete ResNet (Li, Chen, Tai, E 2018, JMLR 18(165),
 * "Maximum principle based algorithms for deep learning", section 2 and appendix).
 *
 * Dynamics and cost, for a batch x_0 of shape [S, ...] and controls theta_0 .. theta_{L-1}:
 *   x_{k+1} = x_k + alpha f(x_k, theta_k)                                          (state)
 *   J(theta) = Phi(x_L) + alpha sum_k R(theta_k)                                   (cost)
 * Phi is the terminal loss (a mean over the batch), R a running cost (regulariser) weighted by the
 * step alpha, so that J is the Riemann sum of Phi(x(T)) + integral R(theta(t)) dt.
 *
 * Hamiltonian of layer k:   H_k(x, p, theta) = p . f(x, theta) - R(theta)
 * (p . f sums over the batch). The sign convention is Li et al.'s: the costate is MINUS the
 * gradient of the cost with respect to the state,
 *   p_L = -dPhi/dx_L,       p_k = p_{k+1} + alpha (df/dx (x_k, theta_k))^T p_{k+1},
 * which is the gradient of x -> p_{k+1} . (x + alpha f(x, theta_k)) (the Hamiltonian of the whole
 * layer map). So p_k = -dJ/dx_k: backpropagation is the costate equation run with the other sign.
 * The maximum principle says an optimal theta_k maximises H_k(x_k, p_{k+1}, .), and the gradient
 * of the cost with respect to a layer's control is
 *   dJ/dtheta_k = -alpha dH_k/dtheta (x_k, p_{k+1}, theta_k),
 * the identity tested layer by layer against backprop.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import { fmtShape, ShapeError, type Tensor } from '@resode/tensor';
import { AdjointError } from '../errors.js';

/** The residual branch f(x, theta) of a layer: x is the batch of states, theta the layer's controls. */
export type LayerField = (x: Var, theta: readonly Var[]) => Var;

/** A discrete optimal control problem: the ResNet x_{k+1} = x_k + alpha f(x_k, theta_k) and its cost. */
export type ResidualControlProblem = {
  field: LayerField;
  /** The step of the residual branch (1/L for the Euler scheme of an ODE on [0, 1]). */
  alpha: number;
  /** Phi(x_L), a scalar (typically a mean over the batch). */
  terminalLoss: (xL: Var) => Var;
  /** R(theta_k), the running cost; the total cost adds alpha * sum_k R(theta_k). */
  regularizer?: (theta: readonly Var[]) => Var;
};

/** The controls of every layer: controls[k] is the list of tensors theta_k. */
export type Controls = readonly (readonly Tensor[])[];

function checkProblem(problem: ResidualControlProblem, controls: Controls): void {
  if (!(Number.isFinite(problem.alpha) && problem.alpha > 0)) {
    throw new AdjointError(`the step alpha must be a positive number, got ${problem.alpha}`);
  }
  if (controls.length === 0) throw new AdjointError('a ResNet needs at least one layer of controls');
}

function layerOutput(problem: ResidualControlProblem, x: Var, theta: readonly Var[], k: number): Var {
  const fx = problem.field(x, theta);
  if (fx.rank !== x.rank || fx.shape.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(
      `layer ${k}: the field returned shape ${fmtShape(fx.shape)} for a state of shape ${fmtShape(x.shape)}`,
    );
  }
  return fx;
}

/** The states x_0 .. x_L (no tape is recorded). */
export function forwardStates(problem: ResidualControlProblem, x0: Tensor, controls: Controls): Tensor[] {
  checkProblem(problem, controls);
  return A.noGrad(() => {
    const xs = [x0];
    controls.forEach((theta, k) => {
      const x = A.constant(xs[k]!);
      const fx = layerOutput(problem, x, theta.map(A.constant), k);
      xs.push(x.add(fx.mul(problem.alpha)).value);
    });
    return xs;
  });
}

/** Phi(x_L) and the terminal costate p_L = -dPhi/dx_L. */
export function terminalCostate(problem: ResidualControlProblem, xL: Tensor): { loss: number; p: Tensor } {
  const { value, grads } = A.valueAndGrad((x) => problem.terminalLoss(x))(xL);
  return { loss: value.item(), p: grads[0]!.neg().value };
}

/** The layer Hamiltonian H_k(x, p, theta) = p . f(x, theta) - R(theta), as a differentiable Var. */
export function layerHamiltonian(
  problem: ResidualControlProblem,
  x: A.VarLike,
  p: A.VarLike,
  theta: readonly A.VarLike[],
): Var {
  const thetaVars = theta.map(A.toVar);
  const h = A.dot(p, problem.field(A.toVar(x), thetaVars));
  return problem.regularizer ? h.sub(problem.regularizer(thetaVars)) : h;
}

export type BackwardSweep = {
  /** p_0 .. p_L. */
  costates: Tensor[];
  /** dH_k/dtheta (x_k, p_{k+1}, theta_k), one list per layer. */
  hamiltonianGrads: Tensor[][];
};

/**
 * The costates p_L .. p_0 backwards, and dH_k/dtheta on the way: one VJP of f per layer, with
 * respect to x and theta at once, with cotangent p_{k+1}.
 */
export function backwardCostates(
  problem: ResidualControlProblem,
  states: readonly Tensor[],
  controls: Controls,
  pL: Tensor,
): BackwardSweep {
  checkProblem(problem, controls);
  const L = controls.length;
  if (states.length !== L + 1) {
    throw new AdjointError(`${L} layers need ${L + 1} states x_0 .. x_L, got ${states.length}`);
  }
  const costates = new Array<Tensor>(L + 1);
  const hamiltonianGrads = new Array<Tensor[]>(L);
  costates[L] = pL;
  for (let k = L - 1; k >= 0; k--) {
    const p = costates[k + 1]!;
    const theta = controls[k]!;
    const { pullback } = A.vjp((x, ...th) => layerOutput(problem, x, th, k), states[k]!, ...theta);
    const [pfx, ...pfTheta] = pullback(p);
    costates[k] = A.noGrad(() => A.add(p, pfx!.mul(problem.alpha)).value);
    const dR = problem.regularizer
      ? A.grad((...th) => problem.regularizer!(th))(...theta)
      : theta.map((t) => A.constant(t).mul(0));
    hamiltonianGrads[k] = pfTheta.map((g, i) => A.sub(g, dR[i]!).value);
  }
  return { costates, hamiltonianGrads };
}

export type PmpSweep = BackwardSweep & {
  states: Tensor[];
  /** Phi(x_L). */
  terminalLoss: number;
  /** J = Phi(x_L) + alpha sum_k R(theta_k). */
  cost: number;
  /** dJ/dtheta_k = -alpha dH_k/dtheta, one list per layer. */
  gradients: Tensor[][];
};

/** Forward states, terminal costate, backward costates and the cost gradient: one full PMP sweep. */
export function pmpSweep(problem: ResidualControlProblem, x0: Tensor, controls: Controls): PmpSweep {
  const states = forwardStates(problem, x0, controls);
  const { loss, p } = terminalCostate(problem, states[states.length - 1]!);
  const sweep = backwardCostates(problem, states, controls, p);
  const cost = A.noGrad(() => unrolledCostTail(problem, states[states.length - 1]!, controls));
  const gradients = sweep.hamiltonianGrads.map((gs) =>
    gs.map((g) => A.noGrad(() => A.mul(g, -problem.alpha).value)),
  );
  return { ...sweep, states, terminalLoss: loss, cost, gradients };
}

/**
 * The cost J as one differentiable expression of the controls (the unrolled network), for
 * backpropagation: `valueAndGrad` of it is the reference the PMP sweep is checked against.
 */
export function unrolledCost(
  problem: ResidualControlProblem,
  x0: A.VarLike,
  controls: readonly (readonly Var[])[],
): Var {
  let x = A.toVar(x0);
  let running: Var | undefined;
  controls.forEach((theta, k) => {
    x = x.add(layerOutput(problem, x, theta, k).mul(problem.alpha));
    if (problem.regularizer) {
      const r = problem.regularizer(theta);
      running = running === undefined ? r : running.add(r);
    }
  });
  const phi = problem.terminalLoss(x);
  return running === undefined ? phi : phi.add(running.mul(problem.alpha));
}

/** J(theta) by a forward pass only (no costates). */
export function evaluateCost(problem: ResidualControlProblem, x0: Tensor, controls: Controls): number {
  const states = forwardStates(problem, x0, controls);
  return A.noGrad(() => unrolledCostTail(problem, states[states.length - 1]!, controls));
}

function unrolledCostTail(problem: ResidualControlProblem, xL: Tensor, controls: Controls): number {
  const phi = problem.terminalLoss(A.constant(xL)).item();
  if (!problem.regularizer) return phi;
  const running = controls.reduce((s, th) => s + problem.regularizer!(th.map(A.constant)).item(), 0);
  return phi + problem.alpha * running;
}
