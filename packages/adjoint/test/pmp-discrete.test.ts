import {
  backwardCostates,
  forwardStates,
  layerHamiltonian,
  pmpSweep,
  type ResidualControlProblem,
  unrolledCost,
} from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propsConfig } from '../../../test/props-config.js';

/** f(x, [W, b, V]) = tanh(x W + b) V, batch x of shape [S, d]. */
const block: ResidualControlProblem['field'] = (x, [W, b, V]) =>
  A.tanh(A.add(A.matmul(x, W!), b!)).matmul(V!);

function randomProblem(seed: number, depth: number, d: number, withRegularizer: boolean) {
  const rng = T.createRng(seed);
  const x0 = T.randn([3, d], rng);
  const target = T.randn([3, d], rng);
  const controls = Array.from({ length: depth }, () => [
    T.mul(T.randn([d, d], rng), 0.7),
    T.mul(T.randn([d], rng), 0.3),
    T.mul(T.randn([d, d], rng), 0.7),
  ]);
  const problem: ResidualControlProblem = {
    field: block,
    alpha: 1 / depth,
    terminalLoss: (xL) => A.mse(xL, target),
    ...(withRegularizer
      ? {
          regularizer: (th: readonly A.Var[]) =>
            th
              .map((t) => A.sum(A.square(t)))
              .reduce((a, b) => a.add(b))
              .mul(0.05),
        }
      : {}),
  };
  return { problem, x0, controls };
}

function relErr(a: T.Tensor, b: T.Tensor): number {
  return T.maxAbsDiff(a, b) / Math.max(1e-300, T.max(T.abs(b)).item());
}

describe('discrete Pontryagin maximum principle', () => {
  it('backprop gradient of layer k equals -alpha dH_k/dtheta (x_k, p_{k+1}, theta_k)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (seed, depth, d, reg) => {
          const { problem, x0, controls } = randomProblem(seed, depth, d, reg);
          const sweep = pmpSweep(problem, x0, controls);
          const flat = controls.flat();
          const { value, grads } = A.valueAndGrad((...ths) =>
            unrolledCost(
              problem,
              x0,
              controls.map((_, k) => ths.slice(3 * k, 3 * k + 3)),
            ),
          )(...flat);
          expect(sweep.cost).toBeCloseTo(value.item(), 12);
          sweep.gradients.forEach((layer, k) => {
            layer.forEach((g, i) => {
              expect(relErr(g, grads[3 * k + i]!.value)).toBeLessThan(1e-12);
            });
          });
          // The scaling matters: dJ/dtheta_k is alpha times dH_k/dtheta, with the opposite sign.
          const h = sweep.hamiltonianGrads[0]![0]!;
          expect(relErr(T.mul(h, -problem.alpha), grads[0]!.value)).toBeLessThan(1e-12);
        },
      ),
      propsConfig(25),
    );
  });

  it('costates are minus the gradient of the cost with respect to the states', () => {
    const { problem, x0, controls } = randomProblem(3, 4, 3, true);
    const sweep = pmpSweep(problem, x0, controls);
    // -dJ/dx_k: differentiate the network from layer k on, started at x_k.
    for (let k = 0; k <= controls.length; k++) {
      const [g] = A.grad((xk) =>
        unrolledCost(
          problem,
          xk,
          controls.slice(k).map((th) => th.map(A.constant)),
        ),
      )(sweep.states[k]!);
      // The running cost of layers before k does not depend on x_k.
      expect(relErr(sweep.costates[k]!, T.neg(g!.value))).toBeLessThan(1e-12);
    }
  });

  it('dH/dtheta from the sweep equals autograd on the Hamiltonian itself', () => {
    const { problem, x0, controls } = randomProblem(11, 3, 2, true);
    const states = forwardStates(problem, x0, controls);
    const sweep = pmpSweep(problem, x0, controls);
    for (let k = 0; k < controls.length; k++) {
      const grads = A.grad((...th) => layerHamiltonian(problem, states[k]!, sweep.costates[k + 1]!, th))(
        ...controls[k]!,
      );
      grads.forEach((g, i) => {
        expect(relErr(sweep.hamiltonianGrads[k]![i]!, g.value)).toBeLessThan(1e-13);
      });
    }
  });

  it('the forward states are the ResNet and the costate recursion needs L + 1 states', () => {
    const { problem, x0, controls } = randomProblem(5, 2, 2, false);
    const xs = forwardStates(problem, x0, controls);
    const manual = A.noGrad(() => {
      const x1 = A.add(x0, block(A.constant(x0), controls[0]!.map(A.constant)).mul(0.5));
      return A.add(x1, block(x1, controls[1]!.map(A.constant)).mul(0.5)).value;
    });
    expect(T.maxAbsDiff(xs[2]!, manual)).toBe(0);
    expect(() => backwardCostates(problem, xs.slice(1), controls, x0)).toThrow(/need 3 states/);
    expect(() => forwardStates({ ...problem, field: (x) => A.sum(x, 1) }, x0, controls)).toThrow(
      /layer 0: the field returned shape \[3\] for a state of shape \[3, 2\]/,
    );
    expect(() => forwardStates({ ...problem, alpha: Number.NaN }, x0, controls)).toThrow(/alpha/);
  });
});
