/**
 * Measured orders of the SDE schemes on geometric Brownian motion dX = mu X dt + sigma X dW,
 * whose exact solutions on a given path are known:
 *   Ito:          X_t = X_0 exp((mu - sigma^2 / 2) t + sigma W_t)
 *   Stratonovich: X_t = X_0 exp(mu t + sigma W_t).
 * Many paths run at once as one state of shape [paths] (diagonal noise), and every step size
 * sees the same Brownian paths (one tree).
 */
import * as A from '@resode/autograd';
import { type SdeMethod, sdeint, VirtualBrownianTree } from '@resode/ode';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logLogSlope } from './support/problems.js';

const [mu, sigma] = [1, 1];
const drift = (_t: number, x: A.Var) => x.mul(mu);
const diffusion = (_t: number, x: A.Var) => x.mul(sigma);

function exactGbm(w: T.Tensor, t: number, calculus: 'ito' | 'stratonovich'): T.Tensor {
  const rate = calculus === 'ito' ? mu - (sigma * sigma) / 2 : mu;
  return T.exp(T.add(T.mul(w, sigma), rate * t));
}

/** Mean over paths of |X_T - exact X_T| for each step size 2^-k. */
function strongErrors(
  method: SdeMethod,
  calculus: 'ito' | 'stratonovich',
  paths: number,
  seed: number,
  ks: number[],
) {
  const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [paths], seed });
  const exact = exactGbm(bm.at(1), 1, calculus);
  return ks.map((k) => {
    const xs = sdeint(drift, diffusion, T.ones([paths]), [0, 1], { method, dt: 2 ** -k, bm });
    return T.mean(T.abs(T.sub(A.index(xs, 1).value, exact))).item();
  });
}

const ks = [2, 3, 4, 5, 6, 7];
const seed = fc.integer({ min: 0, max: 2 ** 31 });

describe('strong orders measured on geometric Brownian motion', () => {
  const cases: [SdeMethod, 'ito' | 'stratonovich', number][] = [
    ['euler-maruyama', 'ito', 0.5],
    ['milstein', 'ito', 1],
    ['euler-heun', 'stratonovich', 1],
  ];
  for (const [method, calculus, order] of cases) {
    it(`${method} converges to the ${calculus} solution with strong order ${order}`, () => {
      fc.assert(
        fc.property(seed, (s) => {
          const errors = strongErrors(method, calculus, 300, s, ks);
          expect(
            Math.abs(
              logLogSlope(
                ks.map((k) => 2 ** -k),
                errors,
              ) - order,
            ),
          ).toBeLessThan(0.2);
          expect(errors[errors.length - 1]!).toBeLessThan(errors[0]! / 2 ** ((ks.length - 1) * order - 1));
        }),
        { numRuns: 2 },
      );
    });
  }

  it('Euler-Heun does not converge to the Ito solution (the calculi differ by the drift sigma^2 / 2)', () => {
    const errors = strongErrors('euler-heun', 'ito', 300, 1, [4, 7]);
    expect(errors[1]!).toBeGreaterThan(0.5 * errors[0]!);
    // With the Ito-to-Stratonovich drift correction, Euler-Maruyama approaches the Stratonovich solution.
    const paths = 300;
    const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [paths], seed: 1 });
    const corrected = (_t: number, x: A.Var) => x.mul(mu + (sigma * sigma) / 2);
    const em = sdeint(corrected, diffusion, T.ones([paths]), [0, 1], { dt: 2 ** -10, bm });
    const stratonovich = exactGbm(bm.at(1), 1, 'stratonovich');
    const relative =
      T.mean(T.abs(T.sub(A.index(em, 1).value, stratonovich))).item() / T.mean(stratonovich).item();
    expect(relative).toBeLessThan(0.05);
  });
});

describe('weak sanity', () => {
  it('the mean of Euler-Maruyama at T is exp(mu T) within statistical bounds', () => {
    const [paths, m, s, dt] = [4000, 0.5, 0.5, 2 ** -6];
    const xs = sdeint(
      (_t, x) => x.mul(m),
      (_t, x) => x.mul(s),
      T.ones([paths]),
      [0, 0.5, 1],
      { dt, seed: 2024 },
    );
    for (const [i, t] of [
      [1, 0.5],
      [2, 1],
    ] as const) {
      const samples = A.index(xs, i).value;
      const mean = T.mean(samples).item();
      const variance = Math.exp(2 * m * t) * (Math.exp(s * s * t) - 1);
      const standardError = Math.sqrt(variance / paths);
      // E[X_T] for Euler-Maruyama is exactly (1 + mu dt)^n; it differs from exp(mu T) by O(dt).
      const schemeMean = (1 + m * dt) ** (t / dt);
      expect(Math.abs(mean - schemeMean)).toBeLessThan(5 * standardError);
      expect(Math.abs(mean - Math.exp(m * t))).toBeLessThan(
        5 * standardError + Math.abs(schemeMean - Math.exp(m * t)),
      );
    }
  });
});
