import {
  AdjointSolveError,
  AugmentedState,
  augmentedField,
  ClosureError,
  createGradStats,
  forwardSolve,
  odeintAdjoint,
} from '@resode/adjoint';
import * as A from '@resode/autograd';
import { type Norm, odeint, solve } from '@resode/ode';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propsConfig } from '../../../test/props-config.js';
import { lossOf, outputTimes, randomField, relativeError } from './helpers.js';

describe('odeintAdjoint', () => {
  it('returns what odeint returns', () => {
    const { f, params } = randomField(1, 3);
    const y0 = T.randn([2, 3], T.createRng(2));
    const ts = [0, 0.3, 1];
    const ys = odeintAdjoint(f, y0, ts, params.map(A.variable), { rtol: 1e-8 });
    const ref = odeint((t, y) => f(t, y, params.map(A.constant)), y0, ts, { rtol: 1e-8 });
    expect(ys.shape).toEqual([3, 2, 3]);
    expect(T.maxAbsDiff(ys.value, ref.value)).toBe(0);
  });

  for (const method of ['dopri5', 'tsit5'] as const) {
    for (const seminorm of [false, true]) {
      it(`${method}${seminorm ? ' + seminorm' : ''}: gradients to y0 and params match backprop within 1e-6 (rtol 1e-10)`, () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 0, max: 1e6 }),
            fc.integer({ min: 2, max: 4 }),
            fc.integer({ min: 2, max: 5 }),
            (seed, d, nOut) => {
              const { f, params } = randomField(seed, d);
              const y0 = T.randn([2, d], T.createRng(seed + 1));
              const ts = outputTimes(seed + 2, nOut, 1.5);
              const opts = { method, rtol: 1e-10, atol: 1e-10 } as const;
              const backprop = A.grad((y, ...ps) => lossOf(odeint((t, yy) => f(t, yy, ps), y, ts, opts)))(
                y0,
                ...params,
              );
              const adjoint = A.grad((y, ...ps) =>
                lossOf(odeintAdjoint(f, y, ts, ps, { ...opts, seminorm })),
              )(y0, ...params);
              adjoint.forEach((g, i) => {
                expect(relativeError(g.value, backprop[i]!.value)).toBeLessThan(1e-6);
              });
            },
          ),
          propsConfig(4),
        );
      });
    }
  }

  it('the seminorm needs fewer backward evaluations on a small neural ODE, with the same gradient', () => {
    // Not a law (the step sequences differ, and either may be rejected more), but typical: here
    // 50 backward evaluations with the seminorm against 62 with the full norm.
    const rng = T.createRng(3);
    const params = [
      T.mul(T.randn([2, 8], rng), 2),
      T.mul(T.randn([8], rng), 0.3),
      T.mul(T.randn([8, 2], rng), 0.3),
      T.mul(T.randn([2], rng), 0.1),
    ];
    const f = (_t: number, y: A.Var, [W1, b1, W2, b2]: A.Var[]) =>
      A.tanh(A.matmul(y, W1!).add(b1!)).matmul(W2!).add(b2!);
    const y0 = T.randn([16, 2], rng);
    const run = (seminorm: boolean) => {
      const stats = createGradStats();
      const grads = A.grad((...ps) =>
        A.sum(
          A.square(odeintAdjoint(f, y0, [0, 1], ps, { rtol: 1e-6, atol: 1e-8, seminorm, stats }).index(1)),
        ),
      )(...params);
      return { stats, grads };
    };
    const full = run(false);
    const semi = run(true);
    expect(semi.stats.nfeForward).toBe(full.stats.nfeForward);
    expect(semi.stats.nfeBackward).toBeLessThan(full.stats.nfeBackward);
    semi.grads.forEach((g, i) => {
      expect(relativeError(g.value, full.grads[i]!.value)).toBeLessThan(1e-4);
    });
  });

  it('the backward solve picks its first step from y and a only (a_theta(t1) = 0 has no scale)', () => {
    const rng = T.createRng(8);
    const params = [
      T.mul(T.randn([2, 16], rng), 0.7),
      T.mul(T.randn([16], rng), 0.3),
      T.mul(T.randn([16, 2], rng), 0.3),
      T.mul(T.randn([2], rng), 0.1),
    ];
    const f = (_t: number, y: A.Var, [W1, b1, W2, b2]: A.Var[]) =>
      A.tanh(A.matmul(y, W1!).add(b1!)).matmul(W2!).add(b2!);
    const y0 = T.randn([8, 2], rng);
    const opts = { rtol: 1e-6, atol: 1e-8 };
    const stats = createGradStats();
    A.grad((...ps) => A.sum(A.square(odeintAdjoint(f, y0, [0, 1], ps, { ...opts, stats }).index(1))))(
      ...params,
    );
    // The same backward solve by hand, with the first step chosen on the whole augmented state
    // (as before) and on y and a only (as odeintAdjoint does now).
    const y1 = forwardSolve(f, y0, [0, 1], params, opts).ys[1]!;
    const state = new AugmentedState(
      y0.shape,
      params.map((p) => p.shape),
    );
    const z1 = state.pack(
      y1,
      T.mul(y1, 2),
      params.map((p) => T.zeros(p.shape)),
    );
    const field = augmentedField(f, state, params, 'test');
    const steps = (firstStepNorm: Norm) =>
      A.noGrad(() => solve(field, z1, [1, 0], { ...opts, norm: state.norm(false), firstStepNorm })).stats
        .accepted;
    expect(steps(state.norm(true))).toBe(stats.stepsBackward);
    // Started at ~1e-4, the solve climbs back by factors of 10 (W3: 7 backward steps instead of 4).
    expect(steps(state.norm(false))).toBeGreaterThanOrEqual(stats.stepsBackward + 2);
  });

  it('gradients with respect to the output times match finite differences', () => {
    const { f, params } = randomField(2, 2);
    const y0 = T.randn([1, 2], T.createRng(5));
    const times = [0.1, 0.4, 0.9, 1.3];
    const opts = { rtol: 1e-12, atol: 1e-12 };
    const L = (ts: A.Var) => lossOf(odeintAdjoint(f, y0, ts, params.map(A.constant), opts));
    const [g] = A.grad(L)(T.tensor(times));
    const eps = 1e-5;
    times.forEach((_, i) => {
      const shifted = (s: number) =>
        A.noGrad(() => L(A.constant(times.map((t, j) => (j === i ? t + s : t)))).item());
      const fd = (shifted(eps) - shifted(-eps)) / (2 * eps);
      expect(g!.value.get(i)).toBeCloseTo(fd, 6);
    });
  });

  it('a Var that f closes over and that is not in params raises a ClosureError', () => {
    const W = A.variable(T.eye(2));
    const b = A.variable(T.ones([2]));
    const f = (_t: number, y: A.Var, [bb]: A.Var[]) => A.matmul(y, W).add(bb!);
    const loss = () => A.sum(odeintAdjoint(f, T.ones([2]), [0, 1], [b]));
    expect(() => loss().backward()).toThrow(ClosureError);
    expect(() => loss().backward()).toThrow(
      /1 differentiable Var\(s\) of shape \[2, 2\] that are not in params/,
    );
    // Constants closed over are fine, and so is the same Var passed in params.
    const g = A.constant(T.eye(2));
    expect(() =>
      A.sum(odeintAdjoint((_t, y, [bb]) => A.matmul(y, g).add(bb!), T.ones([2]), [0, 1], [b])).backward(),
    ).not.toThrow();
    const [gW] = A.grad((w) =>
      A.sum(odeintAdjoint((_t, y, [ww]) => A.matmul(y, ww!), T.ones([2]), [0, 1], [w])),
    )(W);
    expect(gW!.shape).toEqual([2, 2]);
  });

  it('reports a failed adjoint solve with the backward time it reached', () => {
    const { f, params } = randomField(0, 2);
    const y0 = T.randn([1, 2], T.createRng(1));
    const loss = () =>
      A.sum(odeintAdjoint(f, y0, [0, 0.5, 1], params.map(A.variable), { rtol: 1e-9, adjointMaxSteps: 3 }));
    let error: unknown;
    try {
      loss().backward();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AdjointSolveError);
    const e = error as AdjointSolveError;
    expect(e.t).toBeGreaterThan(0.5);
    expect(e.t).toBeLessThan(1);
    expect(e.message).toMatch(/from t = 1 back to t = 0.5 failed at backward time t = 0\.\d+/);
  });

  it('handles decreasing output times and a single output time', () => {
    const { f, params } = randomField(5, 2);
    const y0 = T.randn([1, 2], T.createRng(6));
    const opts = { rtol: 1e-10, atol: 1e-10 };
    for (const ts of [[1, 0.4, -0.3], [0.2]]) {
      const backprop = A.grad((y, ...ps) => lossOf(odeint((t, yy) => f(t, yy, ps), y, ts, opts)))(
        y0,
        ...params,
      );
      const adjoint = A.grad((y, ...ps) => lossOf(odeintAdjoint(f, y, ts, ps, opts)))(y0, ...params);
      adjoint.forEach((g, i) => {
        const b = backprop[i]!.value;
        // With a single output nothing depends on the params: both are exactly zero.
        if (T.max(T.abs(b)).item() === 0) expect(T.max(T.abs(g.value)).item()).toBe(0);
        else expect(relativeError(g.value, b)).toBeLessThan(1e-6);
      });
    }
  });

  it('rejects params that are not Vars', () => {
    const f = (_t: number, y: A.Var) => y;
    expect(() => odeintAdjoint(f, T.ones([2]), [0, 1], [T.ones([2]) as unknown as A.Var])).toThrow(
      /params\[0\] must be a Var/,
    );
  });
});
