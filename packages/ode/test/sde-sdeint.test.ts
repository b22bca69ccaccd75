import * as A from '@resode/autograd';
import { SDE_METHODS, type SdeMethod, sdeint, VirtualBrownianTree } from '@resode/ode';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const methods = Object.keys(SDE_METHODS) as SdeMethod[];

describe('sdeint: the schemes step by step', () => {
  // A nonlinear scalar SDE written out by hand: f = -y^3 + sin t, g = 0.5 cos(y) (so g' = -0.5 sin y).
  const f = (t: number, y: A.Var) => A.add(A.neg(A.pow(y, 3)), Math.sin(t));
  const g = (_t: number, y: A.Var) => A.mul(A.cos(y), 0.5);
  const fx = (t: number, y: number) => -(y ** 3) + Math.sin(t);
  const gx = (y: number) => 0.5 * Math.cos(y);
  const dgx = (y: number) => -0.5 * Math.sin(y);
  const hand: Record<SdeMethod, (t0: number, t1: number, y: number, dW: number) => number> = {
    'euler-maruyama': (t0, t1, y, dW) => y + fx(t0, y) * (t1 - t0) + gx(y) * dW,
    milstein: (t0, t1, y, dW) =>
      y + fx(t0, y) * (t1 - t0) + gx(y) * dW + 0.5 * gx(y) * dgx(y) * (dW * dW - (t1 - t0)),
    'euler-heun': (t0, t1, y, dW) => y + fx(t0, y) * (t1 - t0) + 0.5 * (gx(y) + gx(y + gx(y) * dW)) * dW,
  };

  for (const method of methods) {
    it(`${method} equals the hand-written loop on output times that are not multiples of dt`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2 ** 31 }),
          fc.double({ min: -1, max: 1, noNaN: true }),
          (seed, y0) => {
            const ts = [0, 0.25, 0.6, 1.1];
            const dt = 0.07;
            const bm = new VirtualBrownianTree({ t0: 0, t1: 1.1, shape: [], seed });
            const ys = sdeint(f, g, T.tensor(y0), ts, { method, dt, bm }).toArray() as number[];
            const expected = [y0];
            let y = y0;
            for (let i = 0; i + 1 < ts.length; i++) {
              const [a, b] = [ts[i]!, ts[i + 1]!];
              const n = Math.ceil(((b - a) / dt) * (1 - 1e-12)); // rounding of the ratio forgiven
              for (let k = 0; k < n; k++) {
                const [s, t] = [a + ((b - a) * k) / n, k + 1 === n ? b : a + ((b - a) * (k + 1)) / n];
                expect(t - s).toBeLessThanOrEqual(dt * (1 + 1e-12));
                y = hand[method](s, t, y, bm.increment(s, t).item());
              }
              expected.push(y);
            }
            ys.forEach((v, i) => {
              expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(
                1e-14 * Math.max(1, Math.abs(expected[i]!)),
              );
            });
          },
        ),
        { numRuns: 10 },
      );
    });
  }

  it('returns [ts.length, ...y0.shape] with result[0] = y0, for a batched state', () => {
    const y0 = T.randn([4, 3], T.createRng(1));
    const ys = sdeint(f, g, y0, [0, 0.5, 1], { dt: 0.1, seed: 3 });
    expect(ys.shape).toEqual([3, 4, 3]);
    expect(A.index(ys, 0).toArray()).toEqual(y0.toArray());
    expect(sdeint(f, g, y0, [0.2], { dt: 0.1, seed: 3 }).shape).toEqual([1, 4, 3]);
  });

  it('the same seed and dt give the same solution, another seed another one', () => {
    const run = (seed: number) => sdeint(f, g, T.zeros([5]), [0, 1], { dt: 0.05, seed }).value;
    expect(T.maxAbsDiff(run(9), run(9))).toBe(0);
    expect(T.maxAbsDiff(run(9), run(10))).toBeGreaterThan(1e-3);
    // An rng is a source of seeds: two calls draw two paths.
    const rng = T.createRng(4);
    const [a, b] = [0, 1].map(() => sdeint(f, g, T.zeros([5]), [0, 1], { dt: 0.05, rng }).value);
    expect(T.maxAbsDiff(a!, b!)).toBeGreaterThan(1e-3);
  });

  it('intermediate output times do not change the path (same W, steps that only differ by rounding)', () => {
    const coarse = sdeint(f, g, T.zeros([5]), [0, 1], { dt: 0.01, seed: 2 });
    const fine = sdeint(f, g, T.zeros([5]), [0, 0.3, 0.5, 1], { dt: 0.01, seed: 2 });
    expect(T.maxAbsDiff(A.index(coarse, 1).value, A.index(fine, 3).value)).toBeLessThan(1e-9);
  });
});

describe('sdeint: general noise', () => {
  it('additive noise B W_t is reproduced exactly, and g dW contracts the noise axes', () => {
    const B = T.tensor([
      [1, 0.5, 0],
      [-2, 0, 0.25],
    ]);
    const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [3], seed: 6 });
    for (const method of ['euler-maruyama', 'euler-heun'] as const) {
      const ys = sdeint(
        (_t, y) => A.mul(y, 0),
        () => A.constant(B),
        T.zeros([2]),
        [0, 0.4, 1],
        {
          method,
          dt: 0.1,
          bm,
          noiseType: 'general',
          noiseShape: [3],
        },
      );
      for (const [i, t] of [
        [1, 0.4],
        [2, 1],
      ] as const) {
        const exact = T.matmul(B, bm.at(t).reshape([3, 1])).reshape([2]);
        expect(T.maxAbsDiff(A.index(ys, i).value, exact)).toBeLessThan(1e-14);
      }
    }
  });

  it('one scalar Brownian motion driving a vector (noiseShape [1]) matches diagonal noise on a [1] state', () => {
    const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [1], seed: 8 });
    const f = (_t: number, y: A.Var) => A.neg(y);
    const general = sdeint(f, (_t, y) => A.reshape(A.sin(y), [1, 1]), T.tensor([0.3]), [0, 1], {
      dt: 0.05,
      bm,
      noiseType: 'general',
      noiseShape: [1],
    });
    const diagonal = sdeint(f, (_t, y) => A.sin(y), T.tensor([0.3]), [0, 1], { dt: 0.05, bm });
    expect(T.maxAbsDiff(general.value, diagonal.value)).toBeLessThan(1e-15);
  });
});

describe('sdeint: gradients by backprop through the solver, with the path held fixed', () => {
  for (const method of methods) {
    it(`${method}: gradcheck of a loss wrt y0 and the parameters of f and g`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
          const rng = T.createRng(seed);
          const y0 = T.randn([3], rng);
          const a = T.randn([3], rng);
          const b = T.mul(T.randn([3], rng), 0.5);
          const weights = T.randn([3, 3], rng);
          const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [3], seed });
          const loss = (y: A.Var, theta: A.Var, s: A.Var) => {
            const drift = (_t: number, x: A.Var) => A.mul(theta, A.tanh(x));
            const noise = (t: number, x: A.Var) => A.mul(s, A.add(A.sin(x), t));
            const ys = sdeint(drift, noise, y, [0, 0.5, 1], { method, dt: 0.125, bm });
            return A.sum(A.mul(A.square(ys), weights));
          };
          const report = A.gradcheck(loss, [y0, a, b], { seed });
          expect(report.ok, JSON.stringify(report.worst)).toBe(true);
        }),
        { numRuns: 3 },
      );
    });
  }

  it('the pathwise gradient of E[X_T] for GBM under Euler-Maruyama is d/dmu (1 + mu dt)^n', () => {
    // E[X_T^EM] = (1 + mu dt)^n exactly, so the mean of the pathwise derivatives estimates its derivative.
    const [paths, dt, s] = [4000, 2 ** -5, 0.3];
    const [dmu] = A.grad((m: A.Var) =>
      A.mean(
        A.index(
          sdeint(
            (_t, x) => A.mul(x, m),
            (_t, x) => A.mul(x, s),
            T.ones([paths]),
            [0, 1],
            { dt, seed: 31 },
          ),
          1,
        ),
      ),
    )(T.tensor(0.7));
    const n = 1 / dt;
    const exact = n * dt * (1 + 0.7 * dt) ** (n - 1);
    // The pathwise derivative is X_T^EM * sum_k dt / (1 + mu dt + s dW_k): its spread is about that of X_T.
    const spread = Math.sqrt((Math.exp(2 * 0.7) * (Math.exp(s * s) - 1)) / paths);
    expect(Math.abs(dmu!.item() - exact)).toBeLessThan(5 * spread);
  });
});
