import {
  ConfigError,
  fft,
  fgnAutocovariance,
  pivotedCholesky,
  ResNet,
  resolveInit,
  samplePaths,
} from '@resode/resnet';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Empirical covariance of paths (columns) between times s and t. */
function cov(paths: Float64Array, entries: number, s: number, t: number): number {
  let acc = 0;
  for (let e = 0; e < entries; e++) acc += paths[s * entries + e]! * paths[t * entries + e]!;
  return acc / entries;
}

describe('fft', () => {
  it('equals the naive DFT', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 99 }), (p, seed) => {
        const n = 2 ** p;
        const rng = T.createRng(seed);
        const re = T.randn([n], rng).values().slice();
        const im = T.randn([n], rng).values().slice();
        const [r0, i0] = [re.slice(), im.slice()];
        fft(re, im);
        for (let j = 0; j < n; j++) {
          let sr = 0;
          let si = 0;
          for (let k = 0; k < n; k++) {
            const a = (-2 * Math.PI * j * k) / n;
            sr += r0[k]! * Math.cos(a) - i0[k]! * Math.sin(a);
            si += r0[k]! * Math.sin(a) + i0[k]! * Math.cos(a);
          }
          expect(Math.abs(re[j]! - sr)).toBeLessThan(1e-12 * n);
          expect(Math.abs(im[j]! - si)).toBeLessThan(1e-12 * n);
        }
      }),
      { numRuns: 20 },
    );
  });
  it('rejects a length that is not a power of two', () => {
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow(/power-of-two/);
  });
});

describe('depth processes', () => {
  const times = Array.from({ length: 12 }, (_, k) => k / 12);
  const entries = 20000;

  it('fractional Gaussian noise has the fGn autocovariance', () => {
    for (const hurst of [0.2, 0.5, 0.8]) {
      const paths = samplePaths({ kind: 'fbm', hurst }, times, entries, T.createRng(5));
      for (const lag of [0, 1, 2, 5]) {
        const want = fgnAutocovariance(hurst, lag);
        // standard error of a product of unit normals over 20000 samples is below 0.011
        expect(Math.abs(cov(paths, entries, 3, 3 + lag) - want), `H=${hurst} lag=${lag}`).toBeLessThan(0.045);
      }
    }
    expect(fgnAutocovariance(0.5, 1)).toBe(0); // H = 1/2: white noise
    expect(fgnAutocovariance(0.8, 1)).toBeCloseTo(2 ** 0.6 - 1, 14);
  });

  it('the smooth process has the RBF covariance and the Brownian one variance 1 + t', () => {
    const smooth = samplePaths({ kind: 'smooth', lengthscale: 0.2 }, times, entries, T.createRng(6));
    for (const [s, t] of [
      [0, 0],
      [2, 3],
      [1, 6],
    ] as const) {
      const want = Math.exp(-((times[s]! - times[t]!) ** 2) / (2 * 0.04));
      expect(Math.abs(cov(smooth, entries, s, t) - want)).toBeLessThan(0.045);
    }
    const bm = samplePaths({ kind: 'brownian' }, times, entries, T.createRng(7));
    expect(Math.abs(cov(bm, entries, 11, 11) - (1 + times[11]!))).toBeLessThan(0.07);
    expect(Math.abs(cov(bm, entries, 4, 9) - (1 + times[4]!))).toBeLessThan(0.07);
  });

  it('i.i.d. uniform and Gaussian draws have unit variance and no correlation in depth', () => {
    for (const distribution of ['gaussian', 'uniform'] as const) {
      const p = samplePaths({ kind: 'iid', distribution }, times, entries, T.createRng(8));
      expect(Math.abs(cov(p, entries, 2, 2) - 1)).toBeLessThan(0.045);
      expect(Math.abs(cov(p, entries, 2, 3))).toBeLessThan(0.045);
    }
  });

  it('pivoted Cholesky reproduces the RBF kernel matrix with a small rank', () => {
    const n = 400;
    const k = (i: number, j: number) => Math.exp(-(((i - j) / n) ** 2) / (2 * 0.01));
    const { factor, rank } = pivotedCholesky(n, k);
    expect(rank).toBeLessThan(60);
    let worst = 0;
    for (let i = 0; i < n; i += 7) {
      for (let j = 0; j < n; j += 11) {
        let s = 0;
        for (let l = 0; l < rank; l++) s += factor[i * rank + l]! * factor[j * rank + l]!;
        worst = Math.max(worst, Math.abs(s - k(i, j)));
      }
    }
    expect(worst).toBeLessThan(1e-9);
  });
});

describe('initialisations of a ResNet', () => {
  it('draws sqrt(fan_in) W_k with unit variance, V_k = 0 for zero, smooth weights close in k', () => {
    const d = 30;
    const stats = (init: Parameters<typeof resolveInit>[0]) => {
      const m = new ResNet({ depth: 40, width: d, init, seed: 3 });
      const W = m.blocks.map((b) => b.W.value.values());
      const V = m.blocks.map((b) => b.V!.value.values());
      const mean2 = (xs: Float64Array[]) =>
        xs.reduce((s, x) => s + x.reduce((a, v) => a + v * v, 0), 0) / (xs.length * d * d);
      const step = W.slice(1).map((w, k) => w.map((v, i) => v - W[k]![i]!));
      return { w: mean2(W) * d, v: mean2(V) * d, step: mean2(step) * d };
    };
    const iid = stats('iid');
    expect(Math.abs(iid.w - 1)).toBeLessThan(0.03);
    expect(Math.abs(iid.step - 2)).toBeLessThan(0.06); // independent layers: Var(W_{k+1} - W_k) = 2
    const smooth = stats('smooth');
    expect(Math.abs(smooth.w - 1)).toBeLessThan(0.3);
    // RBF with lengthscale 0.1 over steps of 1/40: Var = 2 (1 - exp(-(1/40)^2 / 0.02)) = 0.0615
    expect(Math.abs(smooth.step - 0.0615)).toBeLessThan(0.03);
    expect(stats({ kind: 'zero' }).v).toBe(0);
    expect(stats({ kind: 'iid', gain: 0.01 }).w).toBeLessThan(2e-4);
    const fbm = stats({ kind: 'fbm', hurst: 0.9 });
    expect(fbm.step).toBeLessThan(iid.step / 2); // H = 0.9: strongly correlated in depth
  });

  it('rejects bad init specifications with a clear error', () => {
    expect(() => resolveInit('fbm')).toThrow(/needs a Hurst index/);
    expect(() => resolveInit({ kind: 'fbm', hurst: 1.2 })).toThrow(/hurst must be in \(0, 1\)/);
    expect(() => resolveInit({ kind: 'smooth', lengthscale: -1 })).toThrow(
      /lengthscale must be a finite positive number/,
    );
    expect(() => resolveInit('gaussian' as never)).toThrow(ConfigError);
    expect(
      () => new ResNet({ depth: 2, width: 2, block: 'sw', activation: 'sigmoid', init: 'zero' }),
    ).toThrow(/needs sigma\(0\) = 0/);
    expect(
      () =>
        new ResNet({
          depth: 2,
          width: 2,
          scheme: 'dopri5',
          stageWeights: 'stage-times',
          init: { kind: 'fbm', hurst: 0.6 },
        }),
    ).toThrow(/equally spaced/);
  });
});
