/**
 * The method of successive approximations (Li, Chen, Tai, E 2018, JMLR 18(165), Algorithms 1 and 2):
 * training read through Pontryagin's maximum principle. Each iteration
 *   1. runs the ResNet forward, storing x_0 .. x_L,
 *   2. runs the costate equation backward, storing p_L .. p_0 (pmp/discrete.ts),
 *   3. for every layer k independently, sets theta_k to a maximiser of the layer's Hamiltonian
 *      at the stored x_k, p_{k+1}.
 * Basic MSA can overshoot: maximising H_k moves theta_k so far that the states and costates it was
 * computed from no longer hold, and the cost goes up. The extended MSA (their eq. 11, discrete
 * form in their section 4) maximises the augmented Hamiltonian instead,
 *   Ht_k(theta) = alpha H_k(x_k, p_{k+1}, theta)
 *                 - rho/2 |x_{k+1} - x_k - alpha f(x_k, theta)|^2                (state equation)
 *                 - rho/2 |p_k - p_{k+1} - alpha (df/dx(x_k, theta))^T p_{k+1}|^2 (costate equation)
 * whose penalties vanish at the current theta and grow as the update breaks the two equations,
 * which bounds the step (their Theorem 4 gives descent for rho large enough). alpha H_k is the
 * Hamiltonian of the whole layer map x -> x + alpha f(x, theta) up to a term free of theta.
 *
 * Batch scaling: our costates carry the 1/S of a batch-mean loss (p = -dJ/dx), Li et al.'s are per
 * sample. With S = x.shape[0], the state penalty is a mean over the batch and the costate penalty is
 * S * sum over the batch (the mean of |S dp|^2 / S), so that rho does not depend on the batch size.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { AdjointError } from './errors.js';
import { lbfgs } from './optim/minimize.js';
import {
  type Controls,
  evaluateCost,
  layerHamiltonian,
  pmpSweep,
  type ResidualControlProblem,
} from './pmp/discrete.js';

/** How to maximise each layer's (augmented) Hamiltonian: a few ascent steps or a few L-BFGS iterations. */
export type HamiltonianMaximizer =
  | { method: 'gradient'; learningRate: number; steps?: number }
  | { method: 'lbfgs'; maxIterations?: number; memory?: number };

export type MsaOptions = {
  iterations: number;
  /** The penalty of the extended MSA; 0 (the default) is the basic MSA. */
  rho?: number;
  maximizer: HamiltonianMaximizer;
  /** The batch of iteration i (mini-batch MSA); by default the x0 given, every iteration. */
  batch?: (iteration: number) => { x0: Tensor; terminalLoss: (xL: Var) => Var };
  onIteration?: (info: { iteration: number; cost: number }) => void;
};

export type MsaResult = {
  controls: Tensor[][];
  /** The cost on each iteration's batch before its update, then the final cost on the last batch. */
  costs: number[];
};

/** The per-sample batch size S used to scale the extended MSA's penalties. */
function batchSize(x: Tensor): number {
  return x.rank >= 2 ? x.shape[0]! : 1;
}

/** -Ht_k as a function of the layer's controls (to be minimised). */
function negativeAugmentedHamiltonian(
  problem: ResidualControlProblem,
  rho: number,
  x: Tensor,
  xNext: Tensor,
  p: Tensor,
  pNext: Tensor,
): (...theta: Var[]) => Var {
  const S = batchSize(x);
  const { alpha } = problem;
  return (...theta) => {
    let value = layerHamiltonian(problem, x, pNext, theta).mul(alpha);
    if (rho > 0) {
      const fx = problem.field(A.constant(x), theta);
      const stateGap = A.sub(A.sub(xNext, x), fx.mul(alpha));
      // (df/dx)^T p_{k+1} as a function of theta: a VJP that is itself differentiated (grad of grad).
      const [jtp] = A.vjp((xx) => problem.field(xx, theta), x).pullback(pNext);
      const costateGap = A.sub(A.sub(p, pNext), jtp!.mul(alpha));
      value = value
        .sub(A.sum(A.square(stateGap)).mul(rho / (2 * S)))
        .sub(A.sum(A.square(costateGap)).mul((rho * S) / 2));
    }
    return value.neg();
  };
}

function maximize(
  objective: (...theta: Var[]) => Var,
  theta: readonly Tensor[],
  how: HamiltonianMaximizer,
): Tensor[] {
  if (how.method === 'lbfgs') {
    return lbfgs(objective, theta, {
      maxIterations: how.maxIterations ?? 5,
      memory: how.memory ?? 10,
      gradTol: 0,
    }).xs;
  }
  let current = [...theta];
  const vg = A.valueAndGrad(objective);
  for (let s = 0; s < (how.steps ?? 1); s++) {
    const { grads } = vg(...current);
    current = current.map((t, i) => A.noGrad(() => A.sub(t, grads[i]!.mul(how.learningRate)).value));
  }
  return current;
}

/** Trains the controls of a ResNet by the (extended) method of successive approximations. */
export function msa(
  problem: ResidualControlProblem,
  x0: Tensor,
  controls0: Controls,
  opts: MsaOptions,
): MsaResult {
  const rho = opts.rho ?? 0;
  if (!(rho >= 0)) throw new AdjointError(`msa: rho must be >= 0, got ${rho}`);
  if (!Number.isInteger(opts.iterations) || opts.iterations < 0) {
    throw new AdjointError(`msa: iterations must be a non-negative integer, got ${opts.iterations}`);
  }
  if (opts.maximizer.method === 'gradient' && !(opts.maximizer.learningRate > 0)) {
    throw new AdjointError(`msa: the learning rate must be > 0, got ${opts.maximizer.learningRate}`);
  }
  let controls = controls0.map((th) => [...th]);
  const costs: number[] = [];
  let batchProblem = problem;
  let batchX0 = x0;
  for (let it = 0; it < opts.iterations; it++) {
    if (opts.batch) {
      const b = opts.batch(it);
      batchProblem = { ...problem, terminalLoss: b.terminalLoss };
      batchX0 = b.x0;
    }
    const sweep = pmpSweep(batchProblem, batchX0, controls);
    if (!Number.isFinite(sweep.cost)) {
      throw new AdjointError(
        `msa: the cost is ${sweep.cost} at iteration ${it} (try a larger rho or smaller steps)`,
      );
    }
    costs.push(sweep.cost);
    opts.onIteration?.({ iteration: it, cost: sweep.cost });
    const { states: xs, costates: ps } = sweep;
    controls = controls.map((theta, k) =>
      maximize(
        negativeAugmentedHamiltonian(batchProblem, rho, xs[k]!, xs[k + 1]!, ps[k]!, ps[k + 1]!),
        theta,
        opts.maximizer,
      ),
    );
  }
  costs.push(evaluateCost(batchProblem, batchX0, controls));
  return { controls, costs };
}
