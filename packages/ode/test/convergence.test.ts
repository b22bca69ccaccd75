// Measured convergence orders: for each method, the slope of log(global error) against log(h)
// with fixed steps, on a linear system with an exact matrix-exponential solution and on a
// nonlinear problem with a known solution. The step counts of each row are where that method's
// error is past its pre-asymptotic range and still far above float64 rounding (measured).
import { describe, expect, it } from 'vitest';
import { METHODS, type MethodName, odeint } from '../src/index.js';
import { kepler, linear, logLogSlope, maxError, type Problem, riccati } from './support/problems.js';

/** Global error at t = 2 (Kepler: t = 4) with N fixed steps. */
function errorWithSteps(method: MethodName, p: Problem, T: number, N: number): number {
  const ys = odeint(p.f, p.y0, [0, T], { method, stepSize: T / N });
  return maxError(ys.index(1), p.exact(T));
}

function measuredOrder(method: MethodName, p: Problem, Ns: number[]): number {
  const T = p === kepler ? 4 : 2;
  return logLogSlope(
    Ns.map((N) => T / N),
    Ns.map((N) => errorWithSteps(method, p, T, N)),
  );
}

const range = (from: number) => [from, 2 * from, 4 * from, 8 * from];

// [method, steps on the linear system, nonlinear problem, steps on it]
const CASES: [MethodName, number[], Problem, number[]][] = [
  ['euler', range(32), riccati, range(16)],
  ['midpoint', range(32), riccati, range(32)],
  ['heun', range(32), riccati, range(32)],
  ['ralston', range(32), riccati, range(32)],
  ['heun-euler', range(32), riccati, range(32)],
  ['rk4', range(16), riccati, range(16)],
  ['bosh3', range(16), riccati, range(16)],
  // On y' = -2ty^2 the 5(4) pairs reach rounding error before their h^5 term dominates (measured
  // slopes 5.3-5.5 down to errors of 1e-14): the Kepler problem shows their order instead.
  ['dopri5', range(8), kepler, range(32)],
  ['tsit5', range(32), kepler, range(32)],
  ['dopri8', [], kepler, range(4)],
  ['implicit-euler', range(64), riccati, range(16)],
  ['kvaerno3', range(8), kepler, range(16)],
];

describe.each(CASES)('%s', (method, linearSteps, nonlinear, nonlinearSteps) => {
  const order = METHODS[method].order;
  if (linearSteps.length > 0) {
    it(`has order ${order} on the linear system`, () => {
      expect(Math.abs(measuredOrder(method, linear, linearSteps) - order)).toBeLessThan(0.2);
    });
  }
  it(`has order ${order} on the ${nonlinear.name}`, () => {
    expect(Math.abs(measuredOrder(method, nonlinear, nonlinearSteps) - order)).toBeLessThan(0.2);
  });
});

it('dopri8 on a linear system behaves as order 9 until rounding (its h^9 coefficient is tiny)', () => {
  // For y' = lambda y a step multiplies by R(h lambda) = sum_k c_k (h lambda)^k; dopri8 has
  // c_9 = (1 - 1.3e-3) / 9! and c_10 = (1 - 0.12) / 10!, so the h^10 local error term dominates
  // for every step whose error is above float64 rounding: measured slope 8.5-9.2.
  const slope = measuredOrder('dopri8', linear, [2, 3, 4, 5]);
  expect(slope).toBeGreaterThan(8 - 0.2);
  expect(slope).toBeLessThan(9.5);
});
