import { evaluateCost, forwardStates, msa, pmpSweep, type ResidualControlProblem } from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';

/**
 * Toy classification: points of [-1, 1]^2, class 1 inside the disk of radius 0.65. The state is the
 * point padded with two zeros (width 4); a ResNet of 4 layers f(x) = tanh(x W + b) moves it, and the
 * first two coordinates of x_L (times 3) are the logits.
 */
function disk(n: number, seed: number) {
  const rng = T.createRng(seed);
  const pts = T.rand([n, 2], rng, -1, 1);
  const labels = Array.from({ length: n }, (_, i) =>
    Math.hypot(pts.get(i, 0), pts.get(i, 1)) < 0.65 ? 1 : 0,
  );
  return { x0: T.concat([pts, T.zeros([n, 2])], 1), labels };
}

const L = 4;
const loss = (labels: number[]) => (xL: A.Var) => A.crossEntropy(A.slice(xL, [null, [0, 2]]).mul(3), labels);
const data = disk(64, 1);
const problem: ResidualControlProblem = {
  field: (x, [W, b]) => A.tanh(A.add(A.matmul(x, W!), b!)),
  alpha: 1 / L,
  terminalLoss: loss(data.labels),
  regularizer: ([W, b]) =>
    A.sum(A.square(W!))
      .add(A.sum(A.square(b!)))
      .mul(1e-3),
};
function init() {
  const rng = T.createRng(2);
  return Array.from({ length: L }, () => [T.mul(T.randn([4, 4], rng), 0.5), T.mul(T.randn([4], rng), 0.1)]);
}
function accuracy(controls: T.Tensor[][]): number {
  const xL = forwardStates(problem, data.x0, controls)[L]!;
  return (
    data.labels.filter((y, i) => (xL.get(i, 1) > xL.get(i, 0) ? 1 : 0) === y).length / data.labels.length
  );
}
const increases = (costs: number[]) => costs.slice(1).filter((c, i) => c > costs[i]!).length;

describe('method of successive approximations', () => {
  it('basic MSA with a few Hamiltonian ascent steps per layer trains the toy classifier', () => {
    const r = msa(problem, data.x0, init(), {
      iterations: 30,
      maximizer: { method: 'gradient', learningRate: 2, steps: 3 },
    });
    expect(r.costs).toHaveLength(31);
    expect(r.costs[0]).toBeCloseTo(evaluateCost(problem, data.x0, init()), 12);
    expect(r.costs[30]!).toBeLessThan(0.4 * r.costs[0]!);
    expect(increases(r.costs)).toBe(0);
    expect(accuracy(r.controls)).toBeGreaterThan(accuracy(init()) + 0.2);
  });

  it('extended MSA (rho = 2, L-BFGS maximisation) decreases the cost at every iteration', () => {
    const r = msa(problem, data.x0, init(), {
      iterations: 10,
      rho: 2,
      maximizer: { method: 'lbfgs', maxIterations: 5 },
    });
    expect(increases(r.costs)).toBe(0);
    expect(r.costs[10]!).toBeLessThan(0.4 * r.costs[0]!);
    expect(accuracy(r.controls)).toBeGreaterThan(accuracy(init()) + 0.2);
  });

  it('without the penalty the same L-BFGS maximisation overshoots (why E-MSA exists)', () => {
    const basic = msa(problem, data.x0, init(), {
      iterations: 10,
      maximizer: { method: 'lbfgs', maxIterations: 5 },
    });
    expect(increases(basic.costs)).toBeGreaterThan(1);
    const extended = msa(problem, data.x0, init(), {
      iterations: 10,
      rho: 2,
      maximizer: { method: 'lbfgs', maxIterations: 5 },
    });
    expect(extended.costs[10]!).toBeLessThan(basic.costs[10]!);
  });

  it('mini-batch E-MSA draws its batch per iteration and lowers the full-data cost', () => {
    const halves = [0, 1].map((h) => {
      const rows = Array.from({ length: 32 }, (_, i) => 2 * i + h);
      return { x0: T.gather(data.x0, rows, 0), terminalLoss: loss(rows.map((i) => data.labels[i]!)) };
    });
    const seen: number[] = [];
    const r = msa(problem, data.x0, init(), {
      iterations: 8,
      rho: 2,
      maximizer: { method: 'lbfgs', maxIterations: 5 },
      batch: (i) => {
        seen.push(i);
        return halves[i % 2]!;
      },
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(evaluateCost(problem, data.x0, r.controls)).toBeLessThan(
      0.6 * evaluateCost(problem, data.x0, init()),
    );
  });

  it('the E-MSA penalties vanish to first order at the current controls: one ascent step is a GD step', () => {
    const eta = 0.7;
    const r = msa(problem, data.x0, init(), {
      iterations: 1,
      rho: 5,
      maximizer: { method: 'gradient', learningRate: eta, steps: 1 },
    });
    const { gradients } = pmpSweep(problem, data.x0, init());
    init().forEach((theta, k) => {
      theta.forEach((t, i) => {
        const gd = T.sub(t, T.mul(gradients[k]![i]!, eta));
        expect(T.maxAbsDiff(r.controls[k]![i]!, gd)).toBeLessThan(1e-14);
      });
    });
  });

  it('rejects bad options', () => {
    const max = { method: 'gradient', learningRate: 1 } as const;
    expect(() => msa(problem, data.x0, init(), { iterations: 1, rho: -1, maximizer: max })).toThrow(
      /rho must be >= 0/,
    );
    expect(() => msa(problem, data.x0, init(), { iterations: 1.5, maximizer: max })).toThrow(/iterations/);
    expect(() =>
      msa(problem, data.x0, init(), { iterations: 1, maximizer: { method: 'gradient', learningRate: 0 } }),
    ).toThrow(/learning rate/);
  });
});
