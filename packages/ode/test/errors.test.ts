// Every error path: bad input is an OdeOptionsError before any step, a wrong field a ShapeError,
// a failing solve a SolverError that says where it stopped.
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { ShapeError } from '@resode/tensor';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, OdeOptionsError, odeint, odeSolve, SolverError } from '../src/index.js';

const decay = (_t: number, y: A.Var) => A.neg(y);
const y0 = T.tensor([1, 2]);

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('OdeOptionsError for bad input', () => {
  it.each([
    [[0, 1, 0.5], /strictly increasing or strictly decreasing, but ts\[2\] = 0.5 follows ts\[1\] = 1/],
    [[1, 0, 0.5], /ts\[2\] = 0.5 follows ts\[1\] = 0 in a decreasing sequence/],
    [[0, 0], /ts\[1\] = 0 follows ts\[0\] = 0/],
    [[0, Number.NaN], /ts\[1\] = NaN is not a finite number/],
    [[], /non-empty array/],
  ])('ts = %j', (ts, message) => {
    const e = thrown(() => odeint(decay, y0, ts as number[]));
    expect(e).toBeInstanceOf(OdeOptionsError);
    expect(e.message).toMatch(message);
  });

  it('an unknown method, listing the known ones', () => {
    const e = thrown(() => odeint(decay, y0, [0, 1], { method: 'rk45' as never }));
    expect(e).toBeInstanceOf(OdeOptionsError);
    expect(e.message).toContain("unknown method 'rk45'");
    for (const name of METHOD_NAMES) expect(e.message).toContain(name);
  });

  it.each(['euler', 'midpoint', 'heun', 'ralston', 'rk4', 'implicit-euler'] as const)(
    '%s without stepSize',
    (method) => {
      const e = thrown(() => odeint(decay, y0, [0, 1], { method }));
      expect(e).toBeInstanceOf(OdeOptionsError);
      expect(e.message).toContain(`method '${method}' is fixed-step`);
      expect(e.message).toContain('stepSize');
    },
  );

  it.each([
    [{ rtol: 0 }, /rtol must be a positive number, got 0/],
    [{ rtol: -1e-6 }, /rtol must be a positive number/],
    [{ atol: 0 }, /atol must be a positive number, got 0/],
    [{ atol: Number.NaN }, /atol must be a positive number, got NaN/],
    [{ method: 'rk4', stepSize: 0 }, /stepSize must be a positive number/],
    [{ method: 'rk4', stepSize: Number.POSITIVE_INFINITY }, /stepSize must be a positive number/],
    [{ maxSteps: 2.5 }, /maxSteps must be a positive integer/],
    [{ minStep: -1 }, /minStep must be a finite number >= 0/],
    [{ firstStep: -0.1 }, /firstStep must be a positive number/],
    [{ maxStep: 0 }, /maxStep must be a positive number/],
    [{ stepTimes: [0.5, Number.NaN] }, /stepTimes must hold finite numbers/],
    [{ newton: { tol: 0 } }, /newton.tol must be a positive number/],
  ])('options %j', (opts, message) => {
    const e = thrown(() => odeint(decay, y0, [0, 1], opts as never));
    expect(e).toBeInstanceOf(OdeOptionsError);
    expect(e.message).toMatch(message);
  });

  it('y0 that is not a Var or Tensor, or not finite', () => {
    expect(() => odeint(decay, [1, 2] as never, [0, 1])).toThrow(/y0 must be a Var or a Tensor/);
    expect(() => odeint(decay, T.tensor([1, Number.NaN]), [0, 1])).toThrow(/y0 holds non-finite values/);
  });

  it('events through odeint (whose result cannot stop early), or an event without a function', () => {
    expect(() => odeint(decay, y0, [0, 1], { event: { fn: () => 1 } } as never)).toThrow(/use odeSolve/);
    expect(() => odeSolve(decay, y0, [0, 1], { event: {} as never })).toThrow(/event.fn must be a function/);
  });
});

describe('ShapeError for a wrong field', () => {
  it('f returning the wrong shape names both shapes and t', () => {
    const e = thrown(() => odeint((_t, y) => A.sum(y, 0, { keepdims: true }), y0, [0, 1]));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('odeint: f(t, y) returned shape [1] at t = 0, but the state has shape [2]');
  });
  it('f returning something else than a Var or Tensor', () => {
    const e = thrown(() => odeint((() => 3) as never, y0, [0, 1]));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/f\(t, y\) must return a Var or a Tensor, got number at t = 0/);
  });
  it('a wrong shape only at a later time is caught then', () => {
    const e = thrown(() =>
      odeint((t, y) => (t > 0.5 ? A.concat([y, y]) : A.neg(y)), y0, [0, 1], { method: 'rk4', stepSize: 0.1 }),
    );
    expect(e.message).toBe('odeint: f(t, y) returned shape [4] at t = 0.55, but the state has shape [2]');
  });
});

describe('SolverError says t, h and the step count', () => {
  // y' = y^2 from y(0) = 1 blows up at t = 1.
  const blowup = (_t: number, y: A.Var) => A.square(y);

  it('when the step size falls below the minimum (a singularity)', () => {
    const e = thrown(() => odeint(blowup, T.tensor([1]), [0, 2])) as SolverError;
    expect(e).toBeInstanceOf(SolverError);
    expect(e.message).toMatch(
      /the step size fell below the minimum .* \(at t = 1\.0000.*, step size h = .*, after \d+ steps\)/,
    );
    expect(Math.abs(e.t - 1)).toBeLessThan(1e-6); // the numerical blow-up time
    expect(e.steps).toBeGreaterThan(10);
  });

  it('at a user minStep, earlier', () => {
    const e = thrown(() => odeint(blowup, T.tensor([1]), [0, 2], { minStep: 1e-3 })) as SolverError;
    expect(e.message).toMatch(/below the minimum 1\.000e-3/);
    expect(Math.abs(e.h)).toBeLessThan(1e-3);
    expect(e.t).toBeLessThan(0.9999);
  });

  it('when more than maxSteps steps are needed', () => {
    const e = thrown(() => odeint(decay, y0, [0, 100], { rtol: 1e-10, maxSteps: 50 })) as SolverError;
    expect(e).toBeInstanceOf(SolverError);
    expect(e.message).toMatch(
      /more than maxSteps = 50 steps were needed .*\(at t = [\d.]+, step size h = [\d.e-]+, after 50 steps\)/,
    );
    expect(e.steps).toBe(50);
    // Fixed steps: also bounded when asked.
    expect(() => odeint(decay, y0, [0, 1], { method: 'euler', stepSize: 0.01, maxSteps: 10 })).toThrow(
      /maxSteps = 10/,
    );
  });

  it('when the state becomes non-finite (fixed steps)', () => {
    // Euler on y' = y^2 squares its way past 1e308 in about ten steps of 0.5.
    const e = thrown(() =>
      odeint(blowup, T.tensor([1]), [0, 10], { method: 'euler', stepSize: 0.5 }),
    ) as SolverError;
    expect(e.message).toMatch(
      /the state became non-finite \(inf or NaN\) \(at t = [\d.]+, step size h = 0\.5, after \d+ steps\)/,
    );
  });

  it('when f returns NaN (adaptive): the step shrinks to the minimum and the message says why', () => {
    const nan = (t: number, y: A.Var) => (t > 0.5 ? A.mul(y, Number.NaN) : A.neg(y));
    const e = thrown(() => odeint(nan, y0, [0, 1])) as SolverError;
    expect(e.message).toMatch(/the last trial state was non-finite/);
    expect(e.t).toBeCloseTo(0.5, 6);
  });

  it('when f(t0, y0) is not finite', () => {
    expect(() => odeint((_t, y) => A.div(y, 0), y0, [0, 1])).toThrow(/f\(t0, y0\) is not finite/);
  });

  it("when Newton's iteration fails at a fixed step size", () => {
    // Backward Euler with h = 1 on y' = -y^3 * 1e4 from 10: Newton cannot converge in 2 iterations.
    const e = thrown(() =>
      odeint((_t, y) => A.mul(A.pow(y, 3), -1e4), T.tensor([10]), [0, 1], {
        method: 'implicit-euler',
        stepSize: 1,
        newton: { maxIters: 2 },
      }),
    );
    expect(e).toBeInstanceOf(SolverError);
    expect(e.message).toMatch(
      /Newton .*; try a smaller stepSize \(at t = 0, step size h = 1, after 1 steps\)/,
    );
  });
});
