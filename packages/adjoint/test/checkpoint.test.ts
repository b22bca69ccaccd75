import { binomial, createGradStats, odeintCheckpointed, odeintGrad, repetitions } from '@resode/adjoint';
import * as A from '@resode/autograd';
import { odeint } from '@resode/ode';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propsConfig } from '../../../test/props-config.js';
import { lossOf, outputTimes, randomField, relativeError } from './helpers.js';

const methods = [
  { method: 'dopri5', rtol: 1e-8, atol: 1e-10 },
  { method: 'tsit5', rtol: 1e-8, atol: 1e-10 },
  { method: 'bosh3', rtol: 1e-6, atol: 1e-8 },
  { method: 'rk4', stepSize: 0.07 },
] as const;

describe('checkpointed backprop', () => {
  it('binomial numbers: C(s + r, s) steps are reversible with s checkpoints and r repetitions', () => {
    expect(binomial(5, 2)).toBe(10);
    expect(binomial(17, 10)).toBe(19448);
    expect(repetitions(1, 3)).toBe(0);
    expect(repetitions(10, 2)).toBe(3); // C(5, 2) = 10
    expect(repetitions(11, 2)).toBe(4);
    expect(repetitions(10000, 10)).toBe(7);
  });

  it('equals backprop through odeint to 1e-12 for every schedule, method and checkpoint count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(...methods),
        fc.constantFrom('binomial', 'uniform'),
        fc.integer({ min: 1, max: 6 }),
        (seed, opts, schedule, checkpoints) => {
          const { f, params } = randomField(seed, 3);
          const y0 = T.randn([2, 3], T.createRng(seed + 1));
          const ts = outputTimes(seed + 2, 3, 1.4);
          const backprop = A.grad((y, ...ps) => lossOf(odeint((t, yy) => f(t, yy, ps), y, ts, opts)))(
            y0,
            ...params,
          );
          const stats = createGradStats();
          const ckpt = A.grad((y, ...ps) =>
            lossOf(odeintCheckpointed(f, y, ts, ps, { ...opts, schedule, checkpoints, stats })),
          )(y0, ...params);
          ckpt.forEach((g, i) => {
            expect(relativeError(g.value, backprop[i]!.value)).toBeLessThan(1e-12);
          });
          expect(stats.stepsForward).toBeGreaterThanOrEqual(5);
        },
      ),
      propsConfig(12),
    );
  });

  it('handles a single output time, decreasing times and an implicit method', () => {
    const { f, params } = randomField(4, 2);
    const y0 = T.randn([1, 2], T.createRng(4));
    // The DIRK stepper reuses the Jacobian of a rejected attempt when it retries from the same state;
    // a replayed step starts afresh, so its Newton iterates (and the gradient) agree with the forward
    // solve's to the Newton tolerance, not to rounding. Explicit steppers keep no such state.
    for (const [ts, opts, tol] of [
      [[0], { method: 'dopri5' }, 1e-12],
      [[1, 0.4, -0.2], { method: 'dopri5', rtol: 1e-6 }, 1e-12],
      [[0, 0.5, 1], { method: 'kvaerno3', rtol: 1e-5 }, 1e-8],
    ] as const) {
      const backprop = A.grad((y, ...ps) => lossOf(odeint((t, yy) => f(t, yy, ps), y, ts, opts)))(
        y0,
        ...params,
      );
      const ckpt = A.grad((y, ...ps) =>
        lossOf(odeintCheckpointed(f, y, ts, ps, { ...opts, checkpoints: 2 })),
      )(y0, ...params);
      ckpt.forEach((g, i) => {
        expect(relativeError(g.value, backprop[i]!.value)).toBeLessThan(tol);
      });
    }
  });

  it('binomial: stored states depend on the checkpoints, not the steps; recomputation follows r N', () => {
    const { f, params } = randomField(0, 2);
    const y0 = T.randn([1, 2], T.createRng(0));
    const measure = (steps: number, checkpoints: number) => {
      const stats = createGradStats();
      A.grad((...ps) =>
        A.sum(
          odeintCheckpointed(f, y0, [0, 1], ps, { method: 'euler', stepSize: 1 / steps, checkpoints, stats }),
        ),
      )(...params);
      return stats;
    };
    const [a100, a1000, b100, b1000] = [
      [100, 3],
      [1000, 3],
      [100, 6],
      [1000, 6],
    ].map(([n, c]) => measure(n!, c!));
    // y0 + the 2 outputs + c checkpoints, at 100 steps as at 1000.
    expect([a100!.peakStoredStates, a1000!.peakStoredStates]).toEqual([3 + 3, 3 + 3]);
    expect([b100!.peakStoredStates, b1000!.peakStoredStates]).toEqual([3 + 6, 3 + 6]);
    // Recomputation is bounded by r N steps, and more checkpoints need fewer.
    expect(a1000!.stepsRecomputed).toBeLessThanOrEqual(repetitions(1000, 3) * 1000);
    expect(b1000!.stepsRecomputed).toBeLessThanOrEqual(repetitions(1000, 6) * 1000);
    expect(b1000!.stepsRecomputed).toBeLessThan(a1000!.stepsRecomputed);
    // The uniform schedule keeps c + N / c states.
    const stats = createGradStats();
    A.grad((...ps) =>
      A.sum(
        odeintCheckpointed(f, y0, [0, 1], ps, {
          method: 'euler',
          stepSize: 1 / 1000,
          checkpoints: 10,
          schedule: 'uniform',
          stats,
        }),
      ),
    )(...params);
    expect(stats.peakStoredStates).toBe(3 + 10 + 99);
  });

  it('odeintGrad: the three strategies agree behind one API', () => {
    const { f, params } = randomField(7, 3);
    const y0 = T.randn([2, 3], T.createRng(7));
    const ts = [0, 0.6, 1.2];
    const grads = (['backprop', 'checkpoint', 'adjoint'] as const).map((gradient) => {
      const stats = createGradStats();
      const g = A.grad((y, ...ps) =>
        lossOf(odeintGrad(f, y, ts, ps, { gradient, rtol: 1e-10, atol: 1e-10, checkpoints: 3, stats })),
      )(y0, ...params);
      return { g, stats };
    });
    const [bp, ck, adj] = grads;
    bp!.g.forEach((g, i) => {
      expect(relativeError(ck!.g[i]!.value, g.value)).toBeLessThan(1e-12);
      expect(relativeError(adj!.g[i]!.value, g.value)).toBeLessThan(1e-6);
    });
    expect(bp!.stats.nfeBackward).toBe(0);
    expect(ck!.stats.nfeBackward).toBeGreaterThan(0);
    expect(adj!.stats.nfeBackward).toBeGreaterThan(0);
    // Backprop holds the whole tape, the other two a handful of states.
    expect(bp!.stats.peakStoredStates).toBeGreaterThan(10 * ck!.stats.peakStoredStates);
    expect(adj!.stats.peakStoredStates).toBeLessThan(ck!.stats.peakStoredStates);
    expect(() => odeintGrad(f, y0, ts, [], { gradient: 'nope' as never })).toThrow(/gradient must be/);
    expect(() => odeintCheckpointed(f, y0, ts, [], { checkpoints: 0 })).toThrow(
      /checkpoints must be a positive integer/,
    );
  });
});
