// A ResNet with alpha = 1/L and theta_k = theta(k/L) is the Euler scheme of dx/dt = f(x, theta(t))
// (DESIGN.md): its error against the ODE falls like 1/L, and the RK architectures at their order.
import * as A from '@resode/autograd';
import { fitPowerLaw, ResNet, type SchemeName } from '@resode/resnet';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';

const d = 3;
const m = 4;
const rng = T.createRng(42);
const W0 = T.randn([m, d], rng).values();
const W1 = T.randn([m, d], rng).values();
const V0 = T.randn([d, m], rng).values();
const V1 = T.randn([d, m], rng).values();
const x0 = T.randn([5, d], rng);

/** A smooth path of weights: W(t) = W0 + W1 sin(2 pi t), V(t) = V0 cos(3t) + V1 t. */
const thetaAt = (t: number) => ({
  W: W0.map((w, i) => w + W1[i]! * Math.sin(2 * Math.PI * t)),
  V: V0.map((v, i) => v * Math.cos(3 * t) + V1[i]! * t),
});

/** f(x, theta(t)) = V(t) tanh(W(t) x) for one row x, on plain numbers. */
function field(t: number, x: number[]): number[] {
  const { W, V } = thetaAt(t);
  const s = Array.from({ length: m }, (_, i) =>
    Math.tanh(x.reduce((acc, xj, j) => acc + W[i * d + j]! * xj, 0)),
  );
  return Array.from({ length: d }, (_, i) => s.reduce((acc, sj, j) => acc + V[i * m + j]! * sj, 0));
}

/** x(1) by classic RK4 with 4096 steps (error about 1e-14 here): the reference. */
function exactFlow(x: number[], f: (t: number, x: number[]) => number[] = field): number[] {
  const n = 4096;
  const h = 1 / n;
  let y = x;
  const axpy = (a: number[], s: number, b: number[]) => a.map((v, i) => v + s * b[i]!);
  for (let k = 0; k < n; k++) {
    const t = k * h;
    const k1 = f(t, y);
    const k2 = f(t + h / 2, axpy(y, h / 2, k1));
    const k3 = f(t + h / 2, axpy(y, h / 2, k2));
    const k4 = f(t + h, axpy(y, h, k3));
    y = y.map((v, i) => v + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
  }
  return y;
}

const reference = T.tensor((x0.toArray() as number[][]).map((x) => exactFlow(x)));

function resnetError(
  depth: number,
  scheme: SchemeName,
  stageWeights: 'layer' | 'stage-times',
  tied = false,
): number {
  const model = new ResNet({ depth, width: d, hidden: m, beta: 1, activation: 'tanh', scheme, stageWeights });
  model.blocks.forEach((blk, j) => {
    const { W, V } = thetaAt(tied ? 0 : model.blockTimes[j]!);
    blk.W.value.data.set(W);
    blk.V!.value.data.set(V);
  });
  const out = A.noGrad(() => model.forward(x0)).value;
  return T.maxAbsDiff(out, tied ? tiedReference : reference);
}

// theta constant in depth: the autonomous field f(x, theta(0))
const tiedReference = T.tensor((x0.toArray() as number[][]).map((x) => exactFlow(x, (_, y) => field(0, y))));

describe('the ResNet as a discretised neural ODE', () => {
  it('Euler ResNet with alpha = 1/L and theta_k = theta(k/L): error O(1/L), slope -1', () => {
    const depths = [16, 32, 64, 128, 256];
    const errors = depths.map((L) => resnetError(L, 'euler', 'layer'));
    const s = fitPowerLaw(depths, errors).slope;
    expect(s).toBeGreaterThan(-1.1);
    expect(s).toBeLessThan(-0.9);
    expect(errors.at(-1)!).toBeLessThan(errors[0]! / 12);
  });

  const orders: [SchemeName, number, number[]][] = [
    ['midpoint', 2, [8, 16, 32, 64]],
    ['heun', 2, [8, 16, 32, 64]],
    ['ralston', 2, [8, 16, 32, 64]],
    ['bosh3', 3, [8, 16, 32, 64]],
    ['rk4', 4, [4, 8, 16, 32]],
    ['dopri5', 5, [8, 12, 16, 24]],
  ];
  for (const [scheme, order, depths] of orders) {
    it(`${scheme} with one weight set per stage time converges at order ${order}`, () => {
      const errors = depths.map((L) => resnetError(L, scheme, 'stage-times'));
      const s = fitPowerLaw(depths, errors).slope;
      expect(s, `errors ${errors.map((e) => e.toExponential(2)).join(', ')}`).toBeLessThan(-order + 0.3);
      expect(s).toBeGreaterThan(-order - 1);
    });
  }

  it("rk4 with 'layer' weights is fourth order for weights constant in depth, first order otherwise", () => {
    const depths = [4, 8, 16, 32];
    const tied = fitPowerLaw(
      depths,
      depths.map((L) => resnetError(L, 'rk4', 'layer', true)),
    ).slope;
    expect(tied).toBeLessThan(-3.7);
    const varying = fitPowerLaw(
      depths.map((L) => 4 * L),
      depths.map((L) => resnetError(4 * L, 'rk4', 'layer')),
    ).slope;
    expect(varying).toBeGreaterThan(-1.2);
    expect(varying).toBeLessThan(-0.8);
  });

  it('stage-time weights are shared where a stage at c = 1 meets the next layer at c = 0', () => {
    const model = new ResNet({ depth: 5, width: 2, scheme: 'rk4', stageWeights: 'stage-times' });
    expect(model.blocks).toHaveLength(11); // times k / 10 for k = 0 .. 10
    expect(model.stagePlan[1]).toEqual([2, 3, 3, 4]);
    expect(model.stagePlan[0]![3]).toBe(model.stagePlan[1]![0]);
  });
});
