// Gradients through the solver (discretize-then-optimize): gradcheck (central finite differences
// along random directions, float64) of a loss of odeint with respect to the initial state and the
// parameters the field closes over, for every method, on random small fields (fast-check).
//
// The backward pass differentiates the Runge-Kutta arithmetic with the step sizes held fixed:
// step-size decisions are made on values (as in torchdiffeq). So:
// - fixed steps, and adaptive methods on a pinned step grid (controller factors fixed at 1), must
//   match finite differences as tightly as finite differences allow, dense output included;
// - a freely adaptive solve differs from its finite differences by how much the solution moves
//   when the inputs move the step grid: O(rtol), plus jumps of the size of the local error when a
//   perturbation flips an accept/reject decision. Checked on fixed seeds at ts = [0, 1]; measured
//   over 40 seeds: worst gaps of 3-74 rtol (dopri8: 8000 rtol, its long steps make each local
//   error large against rtol), and much larger at outputs interpolated inside long steps, where
//   a flip moves the interpolant.
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isAdaptive,
  METHOD_NAMES,
  METHODS,
  type MethodName,
  type OdeintOptions,
  odeint,
} from '../src/index.js';

/** A random field f(t, y) = tanh(y W + b) - 0.1 t y on a batch of 2 states of size 2. */
function problem(seed: number, outputs: number) {
  const rng = T.createRng(seed);
  return {
    y0: T.randn([2, 2], rng),
    W: T.mul(T.randn([2, 2], rng), 0.8),
    b: T.mul(T.randn([2], rng), 0.5),
    weights: T.randn([outputs, 2, 2], rng),
  };
}

function lossOf(ts: number[], opts: OdeintOptions, weights: T.Tensor) {
  return (y: A.Var, w: A.Var, bias: A.Var) => {
    const f = (t: number, x: A.Var) => A.tanh(A.matmul(x, w).add(bias)).sub(A.mul(x, 0.1 * t));
    return A.sum(A.mul(odeint(f, y, ts, opts), weights));
  };
}

/** Fixed steps for fixed-step methods; for adaptive ones, steps of 0.15 whatever the error. */
function exactSetting(method: MethodName): OdeintOptions {
  if (!isAdaptive(METHODS[method])) return { method, stepSize: 0.1 };
  return {
    method,
    firstStep: 0.15,
    rtol: 1,
    atol: 1,
    controller: { factorMin: 1, factorMax: 1, safety: 1 },
    // Newton's tolerance is relative to the error tolerance: tightened to match.
    newton: { tol: 1e-12 },
  };
}

describe.each(METHOD_NAMES)('%s', (method) => {
  it('gradients to y0 and the field parameters match finite differences (fixed or pinned steps)', () => {
    const ts = [0, 0.5, 0.8]; // inside steps of 0.15: adaptive outputs come from the interpolant
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const { y0, W, b, weights } = problem(seed, ts.length);
        const report = A.gradcheck(lossOf(ts, exactSetting(method), weights), [y0, W, b], {
          rtol: 1e-6,
          seed,
        });
        expect(report.ok, `${method}, seed ${seed}: ${JSON.stringify(report.worst)}`).toBe(true);
      }),
      { numRuns: method === 'kvaerno3' || method === 'implicit-euler' ? 2 : 4 },
    );
  });
});

describe.each<[MethodName, number, number]>([
  // [method, rtol, allowed relative gap]
  ['heun-euler', 1e-5, 1e-3],
  ['bosh3', 1e-8, 1e-5],
  ['dopri5', 1e-8, 1e-5],
  ['tsit5', 1e-8, 1e-5],
  ['dopri8', 1e-8, 1e-3],
  ['kvaerno3', 1e-7, 1e-5],
])('%s, freely adaptive', (method, rtol, gap) => {
  it.each([101, 102, 103])('agrees with finite differences to O(rtol) (seed %d)', (seed) => {
    const { y0, W, b, weights } = problem(seed, 2);
    const loss = lossOf([0, 1], { method, rtol, atol: rtol / 100 }, weights);
    const report = A.gradcheck(loss, [y0, W, b], { rtol: gap, seed });
    expect(report.ok, JSON.stringify(report.worst)).toBe(true);
  });
});

it('a backwards solve (decreasing ts) is differentiable too', () => {
  const { y0, W, b } = problem(7, 1);
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
  const { y0, W } = problem(3, 1);
  const loss = (y: A.Var, w: A.Var) =>
    A.sum(
      A.square(
        odeint((_t, x) => A.tanh(A.matmul(x, w)), y, [0, 0.5], { method: 'midpoint', stepSize: 0.25 }),
      ),
    );
  expect(A.gradcheck(loss, [y0, W], { order: 2, rtol: 1e-5 }).ok).toBe(true);
});

describe('training steps that reuse their storage (valueAndGrad reuseStorage)', () => {
  it('give exactly the gradients of plain steps, for fixed and adaptive methods', () => {
    const rng = T.createRng(31);
    const y0 = T.randn([40, 2], rng);
    const [W, b] = [T.mul(T.randn([2, 16], rng), 0.7), T.randn([16], rng)];
    const V = T.mul(T.randn([16, 2], rng), 0.3);
    for (const method of ['rk4', 'dopri5'] as const) {
      const loss = (w: A.Var, bias: A.Var, v: A.Var) => {
        const f = (_t: number, y: A.Var) => A.matmul(A.tanh(A.add(A.matmul(y, w), bias)), v);
        const opts: OdeintOptions = method === 'rk4' ? { method, stepSize: 0.1 } : { method, rtol: 1e-6 };
        return A.sum(A.square(A.index(odeint(f, y0, [0, 1], opts), 1)));
      };
      const plain = A.valueAndGrad(loss);
      const reusing = A.valueAndGrad(loss, { reuseStorage: true });
      for (let i = 0; i < 3; i++) {
        const wi = T.mul(W, 1 + 0.2 * i); // a different point each step, as in training
        const expected = plain(wi, b, V);
        const got = reusing(wi, b, V);
        expect(got.value.item()).toBe(expected.value.item());
        expect(got.grads.map((g) => Array.from(g.value.values()))).toEqual(
          expected.grads.map((g) => Array.from(g.value.values())),
        );
      }
    }
  });
});
