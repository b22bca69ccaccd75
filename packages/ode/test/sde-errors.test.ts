import * as A from '@resode/autograd';
import { SdeError, sdeint, VirtualBrownianTree } from '@resode/ode';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';
// The ODE solvers' error for a solve that cannot go on (not on the public entry yet).
import { SolverError } from '../src/errors.js';

const f = (_t: number, y: A.Var) => A.neg(y);
const g = (_t: number, y: A.Var) => A.mul(y, 0.1);
const y0 = T.ones([3]);

function thrown(fn: () => unknown): SdeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SdeError);
    return e as SdeError;
  }
  throw new Error('expected an SdeError, nothing was thrown');
}

describe('sdeint: bad input gets a typed error that says what and where', () => {
  it('dt missing, not positive or not finite', () => {
    expect(thrown(() => sdeint(f, g, y0, [0, 1], undefined as never)).message).toMatch(
      /opts.dt .* is required/,
    );
    expect(thrown(() => sdeint(f, g, y0, [0, 1], { seed: 0 } as never)).message).toMatch(
      /opts.dt .* is required/,
    );
    expect(thrown(() => sdeint(f, g, y0, [0, 1], { dt: 0, seed: 0 })).message).toMatch(
      /positive finite number, got 0/,
    );
    expect(thrown(() => sdeint(f, g, y0, [0, 1], { dt: -0.1, seed: 0 })).message).toMatch(/got -0.1/);
    expect(thrown(() => sdeint(f, g, y0, [0, 1], { dt: Number.NaN, seed: 0 })).message).toMatch(/got NaN/);
  });

  it('ts empty, unsorted, repeated or not finite', () => {
    expect(thrown(() => sdeint(f, g, y0, [], { dt: 0.1, seed: 0 })).message).toMatch(/ts is empty/);
    expect(thrown(() => sdeint(f, g, y0, [0, 0.5, 0.2], { dt: 0.1, seed: 0 })).message).toMatch(
      /strictly increasing, but ts\[1\] = 0.5 >= ts\[2\] = 0.2/,
    );
    expect(thrown(() => sdeint(f, g, y0, [0, 0], { dt: 0.1, seed: 0 })).message).toMatch(
      /strictly increasing/,
    );
    expect(
      thrown(() => sdeint(f, g, y0, [0, Number.POSITIVE_INFINITY], { dt: 0.1, seed: 0 })).message,
    ).toMatch(/ts\[1\] = Infinity is not finite/);
  });

  it('g or f returning the wrong shape names both shapes and the time', () => {
    const badG = (_t: number, y: A.Var) => A.sum(y);
    expect(thrown(() => sdeint(f, badG, y0, [0.5, 1], { dt: 0.1, seed: 0 })).message).toBe(
      'sdeint: diffusion g (diagonal noise) returned shape [] at t = 0.5, expected [3]',
    );
    const general = () =>
      sdeint(f, g, y0, [0, 1], { dt: 0.1, seed: 0, noiseType: 'general', noiseShape: [2] });
    expect(thrown(general).message).toMatch(
      /diffusion g \(general noise\) returned shape \[3\] at t = 0, expected \[3, 2\]/,
    );
    const badF = (_t: number, y: A.Var) => A.reshape(y, [3, 1]);
    expect(thrown(() => sdeint(badF, g, y0, [0, 1], { dt: 0.1, seed: 0 })).message).toMatch(
      /drift f returned shape \[3, 1\] at t = 0, expected \[3\]/,
    );
    const notVar = (() => 2) as unknown as typeof g;
    expect(thrown(() => sdeint(f, notVar, y0, [0, 1], { dt: 0.1, seed: 0 })).message).toMatch(
      /must return a Var, got number/,
    );
  });

  it('an unknown method lists the known ones; Milstein refuses general noise', () => {
    expect(thrown(() => sdeint(f, g, y0, [0, 1], { dt: 0.1, seed: 0, method: 'rk4' as never })).message).toBe(
      "sdeint: unknown method 'rk4'; known methods: 'euler-maruyama', 'milstein', 'euler-heun'",
    );
    const milsteinGeneral = () =>
      sdeint(f, () => A.constant(T.ones([3, 2])), y0, [0, 1], {
        dt: 0.1,
        seed: 0,
        method: 'milstein',
        noiseType: 'general',
        noiseShape: [2],
      });
    expect(thrown(milsteinGeneral).message).toMatch(
      /method 'milstein' needs diagonal noise, got general noise/,
    );
    expect(
      thrown(() => sdeint(f, g, y0, [0, 1], { dt: 0.1, seed: 0, noiseType: 'general' })).message,
    ).toMatch(/needs opts.noiseShape/);
  });

  it('a non-finite state says t, the step size and the step count', () => {
    // dy = y^2 dt blows up at t = 1 from y0 = 1; Euler's iterates overflow a little later.
    const blowUp = (_t: number, y: A.Var) => A.square(y);
    const solve = () => sdeint(blowUp, (_t, y) => A.mul(y, 0), T.ones([1]), [0, 3], { dt: 0.125, seed: 0 });
    expect(solve).toThrow(SolverError);
    expect(solve).toThrow(
      /non-finite in a step of 'euler-maruyama'.*\(at t = [\d.]+, step size h = 0.125, after \d+ steps\)/,
    );
    const e = (() => {
      try {
        solve();
      } catch (err) {
        return err as SolverError;
      }
    })()!;
    expect([e.t, e.h]).toEqual([e.steps * 0.125, 0.125]);
    expect(e.t).toBeGreaterThan(1);
  });

  it('the source of noise: exactly one, of the right shape, covering ts, fine enough for dt', () => {
    expect(thrown(() => sdeint(f, g, y0, [0, 1], { dt: 0.1 })).message).toMatch(
      /exactly one source of noise .* got 0/,
    );
    expect(thrown(() => sdeint(f, g, y0, [0, 1], { dt: 0.1, seed: 1, rng: T.createRng(1) })).message).toMatch(
      /got 2/,
    );
    const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [2], seed: 0 });
    expect(thrown(() => sdeint(f, g, y0, [0, 1], { dt: 0.1, bm })).message).toMatch(
      /Brownian motion has shape \[2\], the noise needs \[3\]/,
    );
    const short = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [3], seed: 0 });
    expect(thrown(() => sdeint(f, g, y0, [0, 2], { dt: 0.1, bm: short })).message).toMatch(
      /covers \[0, 1\], ts span \[0, 2\]/,
    );
    expect(thrown(() => sdeint(f, g, y0, [0, 1], { dt: 1e-6, seed: 0, brownianTol: 1e-7 })).message).toMatch(
      /step size [\d.e-]+ is too short for the Brownian tree's resolution tol = 1e-7/,
    );
  });
});
