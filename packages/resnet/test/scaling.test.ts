import * as A from '@resode/autograd';
import {
  ConfigError,
  drawInDepth,
  quantile,
  ResNet,
  resolveInit,
  scalingAtInit,
  scalingNetwork,
  scalingRatios,
  scalingRatiosAtSteps,
} from '@resode/resnet';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** The same network as a ResNet (block V relu(W h), no biases, step alpha) and autograd. */
function viaAutograd(net: ReturnType<typeof scalingNetwork>, alpha: number) {
  const { depth, width: d } = net;
  const model = new ResNet({ depth, width: d, alpha, block: 'vsw', activation: 'relu' });
  model.blocks.forEach((blk, k) => {
    blk.W.value.data.set(net.W[k]!);
    const V = blk.V!.value.data;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) V[i * d + j] = net.Vt[k]![j * d + i]!;
  });
  const h0 = T.Tensor.view(Float64Array.from(net.h0), [1, d]);
  const c = T.Tensor.view(Float64Array.from(net.readout), [d, 1]);
  const y = 0.3;
  const states = A.noGrad(() => model.forwardStates(h0));
  const hL = states.at(-1)!.value;
  const loss = (h: A.Var) => A.sum(A.square(A.sub(A.matmul(h, c), y)));
  const [g0] = A.grad((h) => loss(model.forward(h)))(h0);
  const [gL] = A.grad(loss)(hL);
  const norm = (t: T.Tensor) => Math.sqrt(T.sum(T.square(t)).item());
  return { ratio: norm(T.sub(hL, h0)) / norm(h0), gradRatio: norm(g0!.value) / norm(gL!.value) };
}

describe('scalingAtInit', () => {
  it('the hand-written forward and backward passes agree with autograd on a ResNet', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom<'iid' | 'smooth'>('iid', 'smooth'),
        (depth, width, alpha, seed, init) => {
          const net = scalingNetwork({ depth, width, inputDim: 5, init, rng: T.createRng(seed) });
          const fast = scalingRatios(net, alpha);
          const ref = viaAutograd(net, alpha);
          expect(fast.ratio).toBeCloseTo(ref.ratio, 12);
          expect(Math.abs(fast.gradRatio - ref.gradRatio)).toBeLessThan(1e-12 * Math.max(1, ref.gradRatio));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('all steps at once give exactly the ratios of one step at a time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.double({ min: 0.01, max: 2, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (depth, width, alphas, seed) => {
          const net = scalingNetwork({ depth, width, inputDim: 5, init: 'iid', rng: T.createRng(seed) });
          expect(scalingRatiosAtSteps(net, alphas)).toEqual(alphas.map((a) => scalingRatios(net, a)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('an i.i.d. draw into given storage is the draw without it, and a network drawn into storage views it', () => {
    // 4 x 2500 entries: the uniform draws cross the 4096-draw chunks of fillUint32.
    for (const init of [
      { kind: 'iid', distribution: 'uniform' },
      { kind: 'iid', distribution: 'gaussian' },
      'smooth',
    ] as const) {
      const resolved = resolveInit(init);
      const times = [0, 0.25, 0.5, 0.75];
      const fresh = drawInDepth(resolved, times, 2500, 0.3, T.createRng(4));
      const storage = new Float64Array(4 * 2500).fill(Number.NaN);
      const into = drawInDepth(resolved, times, 2500, 0.3, T.createRng(4), storage);
      expect(into.map((m) => Array.from(m))).toEqual(fresh.map((m) => Array.from(m)));
    }
    const storage = { W: new Float64Array(3 * 16), Vt: new Float64Array(3 * 16) };
    const uniform = { kind: 'iid', distribution: 'uniform' } as const;
    const a = scalingNetwork({
      depth: 3,
      width: 4,
      inputDim: 5,
      init: uniform,
      rng: T.createRng(8),
      storage,
    });
    const b = scalingNetwork({ depth: 3, width: 4, inputDim: 5, init: uniform, rng: T.createRng(8) });
    expect(a.W[2]!.buffer).toBe(storage.W.buffer);
    expect(a.Vt.map((m) => Array.from(m))).toEqual(b.Vt.map((m) => Array.from(m)));
    expect(scalingRatios(a, 0.4)).toEqual(scalingRatios(b, 0.4));
  });

  it('follows the contract of DESIGN.md: one row per (beta, depth), quantiles in order, reproducible', () => {
    const opts = { betas: [0.5, 1], depths: [3, 8, 20], width: 6, samples: 7, seed: 11, inputDim: 8 };
    const rows = scalingAtInit(opts);
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => [r.beta, r.depth])).toEqual([
      [0.5, 3],
      [0.5, 8],
      [0.5, 20],
      [1, 3],
      [1, 8],
      [1, 20],
    ]);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining(['beta', 'depth', 'ratioMedian', 'ratioQ10', 'ratioQ90', 'gradRatioMedian']),
      );
      expect(r.ratioQ10).toBeLessThanOrEqual(r.ratioMedian);
      expect(r.ratioMedian).toBeLessThanOrEqual(r.ratioQ90);
      expect(r.ratioQ10).toBeGreaterThan(0);
      expect(r.samples).toBe(7);
    }
    expect(scalingAtInit(opts)).toEqual(rows);
    // a network depends on (seed, depth, sample) only: a sweep split differently gives the same cells
    const part = scalingAtInit({ ...opts, betas: [1], depths: [20, 3] });
    expect(part).toEqual(expect.arrayContaining([rows[5], rows[3]]));
  });

  it('shows the three regimes of Marion et al. on a small i.i.d. run', () => {
    const rows = scalingAtInit({ betas: [0.25, 0.5, 1], depths: [10, 300], width: 24, samples: 12, seed: 1 });
    const at = (beta: number, depth: number) =>
      rows.find((r) => r.beta === beta && r.depth === depth)!.ratioMedian;
    // beta = 1: ratio -> 0 (about like 1/sqrt(L)); beta = 1/4: it blows up; beta = 1/2: order one
    expect(at(1, 300) / at(1, 10)).toBeLessThan(0.4);
    expect(at(0.25, 300) / at(0.25, 10)).toBeGreaterThan(4);
    expect(at(0.5, 300) / at(0.5, 10)).toBeGreaterThan(0.6);
    expect(at(0.5, 300) / at(0.5, 10)).toBeLessThan(1.6);
  });

  it('with smooth weights the critical scaling moves to beta = 1', () => {
    const rows = scalingAtInit({
      betas: [0.5, 1, 2],
      depths: [10, 200],
      width: 16,
      samples: 8,
      seed: 2,
      init: 'smooth',
    });
    const at = (beta: number, depth: number) =>
      rows.find((r) => r.beta === beta && r.depth === depth)!.ratioMedian;
    expect(at(0.5, 200) / at(0.5, 10)).toBeGreaterThan(2.5);
    expect(at(1, 200) / at(1, 10)).toBeGreaterThan(0.6);
    expect(at(1, 200) / at(1, 10)).toBeLessThan(1.6);
    expect(at(2, 200) / at(2, 10)).toBeLessThan(0.15);
  });

  it('rejects bad options with a clear error', () => {
    const ok = { betas: [1], depths: [4], width: 3, samples: 2, seed: 0 };
    expect(() => scalingAtInit({ ...ok, betas: [] })).toThrow(ConfigError);
    expect(() => scalingAtInit({ ...ok, depths: [0] })).toThrow(/depths\[0\] must be an integer >= 1, got 0/);
    expect(() => scalingAtInit({ ...ok, width: 2.5 })).toThrow(/width must be an integer/);
    expect(() => scalingAtInit({ ...ok, init: 'zero' })).toThrow(/init 'zero'/);
    expect(() => scalingAtInit({ ...ok, init: 'fbm' })).toThrow(/Hurst/);
  });

  it('quantile interpolates like NumPy', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 14);
    expect(quantile([7], 0.9)).toBe(7);
  });
});
