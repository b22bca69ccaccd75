import {
  type ContinuousControlProblem,
  discretize,
  functionSpaceSgd,
  l2Gradient,
  piecewiseConstant,
  pmpSweep,
} from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';

/**
 * Regression in the plane: learn x -> x + tanh(x R) (R a rotation-like matrix) with the flow of
 * dx/dt = tanh(x W(t) + b(t)) on [0, 1], the control started at a smooth function of t.
 */
const rng = T.createRng(4);
const N = 64;
const x0 = T.randn([N, 2], rng);
const target = A.noGrad(
  () =>
    A.tanh(
      A.matmul(
        x0,
        T.tensor([
          [0, 1.5],
          [-1.5, 0],
        ]),
      ),
    ).add(x0).value,
);
const problem: ContinuousControlProblem = {
  field: (x, [W, b]) => A.tanh(A.add(A.matmul(x, W!), b!)),
  terminalLoss: (xT) => A.mse(xT, target),
};
const Wa = T.mul(T.randn([2, 2], rng), 0.5);
const Wb = T.mul(T.randn([2, 2], rng), 0.5);
const ba = T.mul(T.randn([2], rng), 0.3);
const theta0 = (t: number) => [T.add(Wa, T.mul(Wb, Math.sin(Math.PI * t))), T.mul(ba, Math.cos(Math.PI * t))];
// The same mini-batches (16 of the 64 points) for every mesh.
const batchRng = T.createRng(9);
const batches = Array.from({ length: 30 }, () => T.shuffle(N, batchRng).slice(0, 16));
const batch = (s: number) => {
  const rows = batches[s]!;
  const tgt = T.gather(target, rows, 0);
  return { x0: T.gather(x0, rows, 0), terminalLoss: (xT: A.Var) => A.mse(xT, tgt) };
};
const train = (L: number, metric: 'L2' | 'euclidean') =>
  functionSpaceSgd(problem, x0, piecewiseConstant(theta0, L), { learningRate: 1, steps: 30, metric, batch })
    .costs;
/** Largest gap between two training curves, relative to the initial cost. */
const gap = (a: number[], b: number[]) => Math.max(...a.map((c, i) => Math.abs(c - b[i]!))) / b[0]!;

describe('function-space SGD', () => {
  it('L^2 steps give mesh-independent training curves at L = 16, 64, 256; Euclidean steps do not', () => {
    const l2 = [16, 64, 256].map((L) => train(L, 'L2'));
    // Stated tolerance: every pair of L^2 curves within 1% of the initial cost at all 31 points.
    expect(gap(l2[0]!, l2[2]!)).toBeLessThan(0.01);
    expect(gap(l2[1]!, l2[2]!)).toBeLessThan(0.01);
    // ... converging as the mesh is refined (the Euler error is O(1/L)).
    expect(gap(l2[1]!, l2[2]!)).toBeLessThan(gap(l2[0]!, l2[2]!) / 2);
    // Training works: the cost falls by two orders of magnitude.
    expect(l2[2]![30]!).toBeLessThan(0.02 * l2[2]![0]!);
    const euclid = [16, 256].map((L) => train(L, 'euclidean'));
    // The same learning rate in the Euclidean metric: L = 256 moves 16 times slower than L = 16.
    expect(gap(euclid[0]!, euclid[1]!)).toBeGreaterThan(0.5);
    expect(euclid[1]![30]!).toBeGreaterThan(0.5 * euclid[1]![0]!);
  });

  it('the L^2 gradient of a fixed control function converges as the mesh is refined', () => {
    const at = (L: number, t: number) => {
      const { gradient } = l2Gradient(problem, x0, piecewiseConstant(theta0, L));
      return gradient[Math.floor(t * L)]![0]!;
    };
    // Cells around t = 0.3 at three meshes: g_L(t) -> g(t) while dJ/dtheta_k = g_k / L -> 0.
    const g64 = at(64, 0.3);
    const g256 = at(256, 0.3);
    const g1024 = at(1024, 0.3);
    const size = T.max(T.abs(g1024)).item();
    expect(size).toBeGreaterThan(1e-2);
    expect(T.maxAbsDiff(g256, g1024)).toBeLessThan(0.02 * size);
    expect(T.maxAbsDiff(g64, g1024)).toBeGreaterThan(T.maxAbsDiff(g256, g1024));
  });

  it('the L^2 gradient is L times the Euclidean one (cell width h = T / L)', () => {
    const L = 8;
    const controls = piecewiseConstant(theta0, L, 2);
    const horizonProblem = { ...problem, horizon: 2 };
    const { gradient } = l2Gradient(horizonProblem, x0, controls);
    const { gradients } = pmpSweep(discretize(horizonProblem, L), x0, controls);
    gradient.forEach((layer, k) => {
      layer.forEach((g, i) => {
        expect(T.maxAbsDiff(T.mul(gradients[k]![i]!, L / 2), g)).toBeLessThan(1e-14);
      });
    });
  });

  it('rejects bad meshes and steps', () => {
    expect(() => piecewiseConstant(theta0, 0)).toThrow(/cells must be a positive integer/);
    expect(() => discretize({ ...problem, horizon: -1 }, 4)).toThrow(/horizon must be > 0/);
    expect(() =>
      functionSpaceSgd(problem, x0, piecewiseConstant(theta0, 4), { learningRate: 0, steps: 1 }),
    ).toThrow(/learning rate/);
  });
});
