/**
 * The neural ODE dx/dt = V(t) tanh(W(t) x), t in [0, 1], with (W, V)(t) a random smooth path, and
 * the ResNets that discretise it: depth L, alpha = 1/L, the weights of each stage read off the same
 * path at its time (DESIGN.md, "Neural ODE and the optimal control problem").
 */
import * as A from '@resode/autograd';
import { odeSolve } from '@resode/ode';
import { createRng, randn, Tensor } from '@resode/tensor';
import { ResNet, type SchemeName } from '../../models/resnet.js';
import { seedFrom } from '../seed.js';
import { SmoothPath } from '../smooth-path.js';

export interface OdeProblem {
  width: number;
  hidden: number;
  batch: number;
  lengthscale: number;
  seed: number;
}

export interface Theta {
  /** W(t), hidden x width, row-major. */
  W: (t: number) => Float64Array;
  /** V(t), width x hidden, row-major. */
  V: (t: number) => Float64Array;
  x0: Tensor;
}

export function makeTheta(p: OdeProblem): Theta {
  const rng = createRng(seedFrom({ problem: 'resnet-to-ode', ...p }));
  // Entries of variance 1/fan_in, as the i.i.d. initialisation has.
  const Wp = new SmoothPath(p.hidden * p.width, rng, {
    lengthscale: p.lengthscale,
    scale: 1 / Math.sqrt(p.width),
  });
  const Vp = new SmoothPath(p.width * p.hidden, rng, {
    lengthscale: p.lengthscale,
    scale: 1 / Math.sqrt(p.hidden),
  });
  return { W: (t) => Wp.at(t), V: (t) => Vp.at(t), x0: randn([p.batch, p.width], rng) };
}

/** x(1) by dopri5 at tolerance rtol = atol (rows of the batch), and the function evaluations it took. */
export function odeReference(p: OdeProblem, theta: Theta, tol: number): { x1: Tensor; nfe: number } {
  const field = (t: number, y: A.Var) => {
    const Wt = Tensor.view(theta.W(t), [p.hidden, p.width]);
    const Vt = Tensor.view(theta.V(t), [p.width, p.hidden]);
    return A.matmul(A.tanh(A.matmul(y, A.transpose(A.constant(Wt)))), A.transpose(A.constant(Vt)));
  };
  const sol = A.noGrad(() =>
    odeSolve(field, theta.x0, [0, 1], { method: 'dopri5', rtol: tol, atol: tol, maxSteps: 100000 }),
  );
  return { x1: sol.ys.value.slice([[1, 2], null]).reshape([p.batch, p.width]), nfe: sol.stats.nfe };
}

/** h_L of the ResNet of depth L and scheme `scheme` whose weight sets are theta at their times. */
export function resnetOutput(
  p: OdeProblem,
  theta: Theta,
  depth: number,
  scheme: SchemeName,
  stageWeights: 'stage-times' | 'layer',
): Tensor {
  const model = new ResNet({
    depth,
    width: p.width,
    hidden: p.hidden,
    beta: 1,
    activation: 'tanh',
    scheme,
    stageWeights,
  });
  model.blocks.forEach((block, j) => {
    block.W.value.data.set(theta.W(model.blockTimes[j]));
    block.V?.value.data.set(theta.V(model.blockTimes[j]));
  });
  return A.noGrad(() => model.forward(theta.x0)).value;
}
