// Gradients through the solver (discretize-then-optimize): for every method, gradcheck (central
// finite differences along random directions, float64) of a loss of odeint with respect to the
// initial state and the parameters the field closes over, on random small fields (fast-check).
//
// Fixed steps: the backward pass differentiates exactly the arithmetic that finite differences
// see, so they agree to the finite differences' own accuracy. Adaptive steps: the step sizes are
// decisions made on values and held fixed by the backward pass (as in torchdiffeq), while finite
// differences also see the step sizes move with the inputs. The two then differ by the solution's
// sensitivity to the step grid: O(rtol) for the steps themselves, more for outputs interpolated
// inside long steps (dopri8's order-5 interpolant between its order-8 steps: relative gaps of
// 2e-5 measured at rtol 1e-8). So the check's tolerance follows the solver's; and a second test
// pins the step grid (controller factors fixed at 1), where the gradient, dense output included,
// must match finite differences as tightly as with fixed steps.
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METHODS, type MethodName, type OdeintOptions, odeint } from '../src/index.js';

type Setting = { opts: OdeintOptions; gradRtol: number; runs: number };

const fixed = (method: MethodName): Setting => ({ opts: { method, stepSize: 0.1 }, gradRtol: 1e-6, runs: 3 });
const adaptive = (method: MethodName, rtol: number, gradRtol = 100 * rtol, runs = 3): Setting => ({
  opts: { method, rtol, atol: rtol / 100 },
  gradRtol,
  runs,
});

const SETTINGS: Record<MethodName, Setting> = {
  euler: fixed('euler'),
  midpoint: fixed('midpoint'),
  heun: fixed('heun'),
  ralston: fixed('ralston'),
  rk4: fixed('rk4'),
  'implicit-euler': fixed('implicit-euler'),
  // A 2nd-order pair needs ~500 steps per unit time at rtol 1e-6: kept looser and shorter.
  'heun-euler': adaptive('heun-euler', 1e-5, 1e-3, 2),
  bosh3: adaptive('bosh3', 1e-8),
  dopri5: adaptive('dopri5', 1e-8),
  tsit5: adaptive('tsit5', 1e-8),
  dopri8: adaptive('dopri8', 1e-8, 1e-4),
  kvaerno3: adaptive('kvaerno3', 1e-7, 1e-5, 2),
};

/** A random field f(t, y) = tanh(y W + b) - 0.1 t y on a batch of 2 states of size 2. */
function problem(seed: number) {
  const rng = T.createRng(seed);
  return {
    y0: T.randn([2, 2], rng),
    W: T.mul(T.randn([2, 2], rng), 0.8),
    b: T.mul(T.randn([2], rng), 0.5),
    weights: T.randn([3, 2, 2], rng),
  };
}

describe.each(Object.entries(SETTINGS))('%s', (method, { opts, gradRtol, runs }) => {
  it('gradients to y0 and to the field parameters pass gradcheck', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const { y0, W, b, weights } = problem(seed);
        const loss = (y: A.Var, w: A.Var, bias: A.Var) => {
          const f = (t: number, x: A.Var) => A.tanh(A.matmul(x, w).add(bias)).sub(A.mul(x, 0.1 * t));
          return A.sum(A.mul(odeint(f, y, [0, 0.5, 1], opts), weights));
        };
        const report = A.gradcheck(loss, [y0, W, b], { rtol: gradRtol, seed });
        expect(report.ok, `${method}, seed ${seed}: ${JSON.stringify(report.worst)}`).toBe(true);
      }),
      { numRuns: runs },
    );
  });
});

describe.each(['bosh3', 'dopri5', 'tsit5', 'dopri8', 'kvaerno3'] as const)(
  '%s with a pinned step grid',
  (method) => {
    it('the adaptive loop and its dense output differentiate exactly (outputs inside steps)', () => {
      const { y0, W, b, weights } = problem(11);
      // Steps of 0.3 whatever the error (tolerances loose, factors fixed at 1): outputs at 0.5 and
      // 0.8 fall inside steps and come from the interpolant. Newton's tolerance is relative to the
      // error tolerance, so it is tightened to match.
      const opts: OdeintOptions = {
        method,
        firstStep: 0.3,
        rtol: 1,
        atol: 1,
        controller: { factorMin: 1, factorMax: 1, safety: 1 },
        newton: { tol: 1e-12 },
      };
      const loss = (y: A.Var, w: A.Var, bias: A.Var) => {
        const f = (t: number, x: A.Var) => A.tanh(A.matmul(x, w).add(bias)).sub(A.mul(x, 0.1 * t));
        return A.sum(A.mul(odeint(f, y, [0, 0.5, 0.8], opts), weights));
      };
      const report = A.gradcheck(loss, [y0, W, b], { rtol: 1e-6 });
      expect(report.ok, JSON.stringify(report.worst)).toBe(true);
    });
  },
);

it('every method is covered', () => {
  expect(Object.keys(SETTINGS).sort()).toEqual(Object.keys(METHODS).sort());
});

it('a backwards solve (decreasing ts) is differentiable too', () => {
  const { y0, W, b } = problem(7);
  const loss = (y: A.Var, w: A.Var) =>
    A.sum(
      A.square(
        odeint((_t, x) => A.tanh(A.matmul(x, w).add(b)), y, [1, 0.4, -0.3], {
          method: 'rk4',
          stepSize: 0.05,
        }),
      ),
    );
  expect(A.gradcheck(loss, [y0, W], { rtol: 1e-6 }).ok).toBe(true);
});

it('grad of grad through a fixed-step solve (second order) passes gradcheck', () => {
  const { y0, W } = problem(3);
  const loss = (y: A.Var, w: A.Var) =>
    A.sum(
      A.square(
        odeint((_t, x) => A.tanh(A.matmul(x, w)), y, [0, 0.5], { method: 'midpoint', stepSize: 0.25 }),
      ),
    );
  expect(A.gradcheck(loss, [y0, W], { order: 2, rtol: 1e-5 }).ok).toBe(true);
});
