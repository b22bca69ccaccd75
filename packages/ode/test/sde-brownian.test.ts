import { VirtualBrownianTree } from '@resode/ode';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Sample mean and variance of the entries of a tensor. */
function moments(x: T.Tensor): { mean: number; variance: number } {
  const v = x.values();
  const mean = v.reduce((s, a) => s + a, 0) / v.length;
  const variance = v.reduce((s, a) => s + (a - mean) ** 2, 0) / (v.length - 1);
  return { mean, variance };
}

function correlation(x: T.Tensor, y: T.Tensor): number {
  const a = x.values();
  const b = y.values();
  const ma = moments(x).mean;
  const mb = moments(y).mean;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

// Statistical bounds are 5 standard errors: a correct tree fails one of them with probability < 1e-6.
const N = 4000;
const seed = fc.integer({ min: 0, max: 2 ** 31 });

describe('VirtualBrownianTree: one path whatever the queries', () => {
  it('W(t0) = 0 and the same seed gives the same path, another seed another one', () => {
    const a = new VirtualBrownianTree({ t0: 0, t1: 2, shape: [5], seed: 7 });
    const b = new VirtualBrownianTree({ t0: 0, t1: 2, shape: [5], seed: 7 });
    const c = new VirtualBrownianTree({ t0: 0, t1: 2, shape: [5], seed: 8 });
    expect(a.at(0).toArray()).toEqual([0, 0, 0, 0, 0]);
    expect(a.at(0.37).toArray()).toEqual(b.at(0.37).toArray());
    expect(T.maxAbsDiff(a.at(0.37), c.at(0.37))).toBeGreaterThan(1e-3);
  });

  it('grids of different step sizes see the same W at their shared times', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 5 }), (s, n, r) => {
        const [t0, t1] = [0.3, 1.7];
        const coarse = new VirtualBrownianTree({ t0, t1, shape: [3], seed: s });
        const fine = new VirtualBrownianTree({ t0, t1, shape: [3], seed: s });
        const time = (j: number) => t0 + ((t1 - t0) * j) / (n * r);
        // Walk the fine grid (n r steps) first, then the coarse one (n steps) on a fresh tree.
        const fineW = Array.from({ length: n * r + 1 }, (_, j) => fine.at(time(j)));
        for (let k = 0; k <= n; k++) {
          expect(T.maxAbsDiff(coarse.at(time(k * r)), fineW[k * r]!)).toBeLessThanOrEqual(1e-12);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('is continuous: times a few ulps apart (grids computed another way) give W within 1e-10', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 999 }), (s, k) => {
        const bm = new VirtualBrownianTree({ t0: 0.3, t1: 1.7, shape: [3], seed: s });
        const t = 0.3 + (1.4 * k) / 1000;
        const nearby = [t * (1 + 4 * Number.EPSILON), 0.3 + 1.4 * (k / 1000), t - 3 * Number.EPSILON];
        for (const u of nearby) expect(T.maxAbsDiff(bm.at(u), bm.at(t))).toBeLessThan(1e-10);
      }),
      { numRuns: 20 },
    );
  });

  it('the order of queries does not change the answers', () => {
    fc.assert(
      fc.property(
        seed,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 12 }),
        (s, ts) => {
          const inOrder = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [2], seed: s });
          const reversed = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [2], seed: s });
          const forward = ts.map((t) => inOrder.at(t).toArray());
          const backward = [...ts].reverse().map((t) => reversed.at(t).toArray());
          expect(backward.reverse()).toEqual(forward);
          // An increment is the difference of the two values.
          const inc = inOrder.increment(ts[0]!, ts[1]!);
          expect(T.maxAbsDiff(inc, T.sub(reversed.at(ts[1]!), reversed.at(ts[0]!)))).toBe(0);
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('VirtualBrownianTree: the law of Brownian motion', () => {
  it('increments have mean 0 and variance t - s', () => {
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: -1, max: 0.9, noNaN: true }),
        fc.double({ min: 1e-3, max: 0.1, noNaN: true }),
        (sd, s, h) => {
          const bm = new VirtualBrownianTree({ t0: -1, t1: 1, shape: [N], seed: sd });
          const { mean, variance } = moments(bm.increment(s, s + h));
          expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(h / N));
          expect(Math.abs(variance / h - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
        },
      ),
      { numRuns: 8 },
    );
  });

  it('W(t) has variance t - t0 on an interval that does not start at 0', () => {
    const bm = new VirtualBrownianTree({ t0: 2, t1: 5, shape: [N], seed: 3 });
    for (const t of [2.1, 3.3, 5]) {
      expect(Math.abs(moments(bm.at(t)).variance / (t - 2) - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    }
  });

  it('disjoint increments, and distinct components, are uncorrelated', () => {
    fc.assert(
      fc.property(
        seed,
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 4, maxLength: 4 }),
        (sd, raw) => {
          const [a, b, c, d] = [...raw].sort((x, y) => x - y).map((k) => k / 1000) as [
            number,
            number,
            number,
            number,
          ];
          const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [N], seed: sd });
          expect(Math.abs(correlation(bm.increment(a, b), bm.increment(c, d)))).toBeLessThan(
            5 / Math.sqrt(N),
          );
        },
      ),
      { numRuns: 8 },
    );
    const two = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [N, 2], seed: 11 }).at(0.61);
    const col = (j: number) => T.tensor(Array.from({ length: N }, (_, i) => two.get(i, j)));
    expect(Math.abs(correlation(col(0), col(1)))).toBeLessThan(5 / Math.sqrt(N));
  });

  it('between two times, W is a Brownian bridge: variance (t - s)(u - t) / (u - s) about the chord', () => {
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 0, max: 0.8, noNaN: true }),
        fc.double({ min: 0.01, max: 0.2, noNaN: true }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        (sd, s, len, frac) => {
          const u = s + len;
          const t = s + frac * len;
          const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [N], seed: sd });
          const [ws, wt, wu] = [bm.at(s), bm.at(t), bm.at(u)];
          const chord = T.add(ws, T.mul(T.sub(wu, ws), (t - s) / (u - s)));
          const residual = T.sub(wt, chord);
          const expected = ((t - s) * (u - t)) / (u - s);
          expect(Math.abs(moments(residual).variance / expected - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
          // The bridge is independent of the increment over [s, u].
          expect(Math.abs(correlation(residual, T.sub(wu, ws)))).toBeLessThan(5 / Math.sqrt(N));
        },
      ),
      { numRuns: 8 },
    );
  });

  it('the midpoint of a tree node has the bridge variance (u - s) / 4', () => {
    const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [N], seed: 5 });
    const residual = T.sub(bm.at(0.5), T.mul(bm.at(1), 0.5));
    expect(Math.abs(moments(residual).variance / 0.25 - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
  });
});

describe('VirtualBrownianTree: bad input', () => {
  it('throws on times outside [t0, t1], an empty interval and a non-positive tol', () => {
    const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [2], seed: 0 });
    expect(() => bm.at(1.5)).toThrow(/time 1.5 is outside \[0, 1\]/);
    expect(() => bm.at(Number.NaN)).toThrow(/outside/);
    expect(() => new VirtualBrownianTree({ t0: 1, t1: 1, shape: [2], seed: 0 })).toThrow(/t0 < t1/);
    expect(() => new VirtualBrownianTree({ t0: 0, t1: 1, shape: [2], seed: 0, tol: 0 })).toThrow(/tol/);
  });
});
