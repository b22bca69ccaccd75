// Adaptive step-size control: tolerance proportionality, dense output that never forces steps,
// backwards solves, step and jump times, chaining solves, custom norms, the controller and the
// first-step selection.
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';
import {
  initialStep,
  type MethodName,
  odeint,
  odeSolve,
  PIController,
  rmsNorm,
  solve,
} from '../src/index.js';
import { kepler, linear, logLogSlope, maxError } from './support/problems.js';

const decades = (from: number, to: number) => {
  const out: number[] = [];
  for (let e = from; e >= to; e--) out.push(10 ** e);
  return out;
};

// The smallest tolerance of each method is limited by its cost: a 2nd-order pair needs ~3000
// steps at 1e-6 on these problems and 10x more per 2 decades.
const RANGES: [MethodName, number[]][] = [
  ['heun-euler', decades(-3, -6)],
  ['bosh3', decades(-3, -9)],
  ['dopri5', decades(-3, -10)],
  ['tsit5', decades(-3, -10)],
  ['dopri8', decades(-3, -10)],
  ['kvaerno3', decades(-3, -7)],
];
const TS = [0, 0.7, 1.3, 2, 3.1, 4];

describe.each(RANGES)('%s meets its tolerance', (method, rtols) => {
  it.each([linear, kepler])('on the $name: the global error scales with rtol (atol = rtol)', (p) => {
    const endErrors: number[] = [];
    const allErrors: number[] = [];
    for (const rtol of rtols) {
      const ys = odeint(p.f, p.y0, TS, { method, rtol, atol: rtol });
      endErrors.push(maxError(ys.index(TS.length - 1), p.exact(4)));
      allErrors.push(Math.max(...TS.map((t, i) => maxError(ys.index(i), p.exact(t)))));
      // Global error over 4 time units (half an orbit of Kepler) within a modest multiple of the
      // local tolerance; measured at most 210 (dopri5 on Kepler at rtol 1e-3), usually 1-30.
      expect(allErrors.at(-1)!, `rtol ${rtol}`).toBeLessThan(300 * rtol);
    }
    // Proportionality: error ~ rtol^s with s about 1 at the steps; outputs interpolated inside
    // long steps scale a little slower (dopri8's order-5 interpolant between order-8 steps:
    // error ~ h^6 while rtol ~ h^9, s = 0.75 measured).
    const sEnd = logLogSlope(rtols, endErrors);
    expect(sEnd).toBeGreaterThan(0.8);
    expect(sEnd).toBeLessThan(1.2);
    expect(logLogSlope(rtols, allErrors)).toBeGreaterThan(0.7);
  });
});

describe('dense output', () => {
  it.each(['dopri5', 'tsit5', 'dopri8', 'bosh3'] as const)(
    '%s: output times never change the steps taken',
    (method) => {
      const few = odeSolve(kepler.f, kepler.y0, [0, 4], { method, rtol: 1e-8 });
      const many = odeSolve(
        kepler.f,
        kepler.y0,
        Array.from({ length: 41 }, (_, i) => i / 10),
        { method, rtol: 1e-8 },
      );
      expect(many.stats).toEqual(few.stats);
      // Identical steps, so identical final states, bit for bit.
      expect(many.ys.index(40).toArray()).toEqual(few.ys.index(1).toArray());
    },
  );

  it('the interpolant agrees with the solution inside steps (dopri5, 200 outputs)', () => {
    const ts = Array.from({ length: 201 }, (_, i) => (4 * i) / 200);
    const sol = odeSolve(kepler.f, kepler.y0, ts, { rtol: 1e-9, atol: 1e-9 });
    expect(sol.stats.accepted).toBeLessThan(80); // many outputs per step
    const worst = Math.max(...ts.map((t, i) => maxError(sol.ys.index(i), kepler.exact(t))));
    expect(worst).toBeLessThan(300 * 1e-9);
  });
});

describe('solves', () => {
  it('integrate backwards in time (decreasing ts)', () => {
    const back = [4, 3, 1.5, 0];
    const ys = odeint(linear.f, T.tensor(linear.exact(4), [2, 3]), back, { rtol: 1e-9, atol: 1e-9 });
    for (const [i, t] of back.entries()) expect(maxError(ys.index(i), linear.exact(t))).toBeLessThan(1e-7);
  });

  it('return y0 itself as the first row, with the contract shape', () => {
    const y0 = A.variable(linear.y0);
    const ys = odeint(linear.f, y0, [0, 1, 2]);
    expect(ys.shape).toEqual([3, 2, 3]);
    expect(ys.index(0).toArray()).toEqual(linear.y0.toArray());
    expect(odeint(linear.f, y0, [0]).shape).toEqual([1, 2, 3]);
    // A scalar state works too.
    expect(
      odeint((_t, y) => A.neg(y), T.tensor(1), [0, 1])
        .index(1)
        .item(),
    ).toBeCloseTo(Math.exp(-1), 7);
  });

  it('land on stepTimes, which helps at a kink of f', () => {
    // y' = |t - 1| y has a kink at t = 1: y(t) = exp(int_0^t |s - 1| ds).
    const f = (t: number, y: A.Var) => A.mul(y, Math.abs(t - 1));
    const exact = Math.exp(1); // int_0^2 |s - 1| ds = 1
    const plain = odeSolve(f, T.tensor([1]), [0, 2], { rtol: 1e-10, atol: 1e-12 });
    const kinked = odeSolve(f, T.tensor([1]), [0, 2], { rtol: 1e-10, atol: 1e-12, stepTimes: [1] });
    expect(Math.abs(kinked.ys.index(1).item() - exact)).toBeLessThan(1e-9);
    expect(kinked.stats.rejected).toBeLessThan(plain.stats.rejected);
  });

  it('stop at jumpTimes and re-evaluate f after the jump', () => {
    // y' = 1 before t = 1, -1 from t = 1 on: y(2) = 0. Every step is exact for dopri5 provided
    // no stage of the step before the jump samples f at t = 1 itself.
    const f = (t: number, y: A.Var) => A.add(A.mul(y, 0), t < 1 ? 1 : -1);
    const sol = odeSolve(f, T.tensor([0]), [0, 0.5, 2], { jumpTimes: [1] });
    const ys = sol.ys.value;
    expect(ys.get(1, 0)).toBeCloseTo(0.5, 14);
    expect(Math.abs(ys.get(2, 0))).toBeLessThan(1e-14);
    // With stepTimes instead, the step ending at 1 samples f(1) = -1 at its last stages.
    const stepped = odeSolve(f, T.tensor([0]), [0, 0.5, 2], { stepTimes: [1] });
    expect(Math.abs(stepped.ys.value.get(2, 0))).toBeGreaterThan(1e-10);
    // Fixed steps too.
    const fixedSteps = odeint(f, T.tensor([0]), [0, 2], { method: 'rk4', stepSize: 0.3, jumpTimes: [1] });
    expect(Math.abs(fixedSteps.value.get(1, 0))).toBeLessThan(1e-14);
  });

  it('chain: solve [0, 2] then [2, 4] from result.nextStep equals one solve stopping at 2', () => {
    const first = solve(kepler.f, kepler.y0, [0, 2], { rtol: 1e-7 });
    const second = solve(kepler.f, first.ys[1]!, [2, 4], { rtol: 1e-7, firstStep: first.nextStep! });
    const whole = solve(kepler.f, kepler.y0, [0, 2, 4], { rtol: 1e-7, stepTimes: [2] });
    expect(second.ys[1]!.toArray()).toEqual(whole.ys[2]!.toArray());
    expect(first.stats.accepted + second.stats.accepted).toBe(whole.stats.accepted);
  });

  it('use a custom norm: a seminorm that ignores a component takes far fewer steps', () => {
    // y1' = -y1 (slow), y2' = cos(40 t) (fast); the seminorm controls y1 only.
    const f = (t: number, y: A.Var) =>
      A.stack([A.neg(A.index(y, 0)), A.constant(T.tensor(Math.cos(40 * t)))]);
    const y0 = T.tensor([1, 0]);
    const full = odeSolve(f, y0, [0, 3], { rtol: 1e-8, atol: 1e-10 });
    const semi = odeSolve(f, y0, [0, 3], { rtol: 1e-8, atol: 1e-10, norm: (r) => Math.abs(r.get(0)) });
    expect(semi.stats.accepted).toBeLessThan(full.stats.accepted / 2);
    expect(Math.abs(semi.ys.value.get(1, 0) - Math.exp(-3))).toBeLessThan(1e-7);
    expect(Math.abs(full.ys.value.get(1, 1) - Math.sin(120) / 40)).toBeLessThan(1e-7);
  });

  it('respect maxStep', () => {
    const sol = odeSolve(linear.f, linear.y0, [0, 2], { maxStep: 0.1 });
    expect(sol.stats.accepted).toBeGreaterThanOrEqual(20);
  });

  it('count evaluations: dopri5 (FSAL) costs 6 per step attempt, plus f0 and the first-step probe', () => {
    const sol = odeSolve(kepler.f, kepler.y0, [0, 4], { rtol: 1e-6 });
    const { nfe, accepted, rejected } = sol.stats;
    expect(nfe).toBe(6 * (accepted + rejected) + 2);
  });

  it('run with a PI controller as accurately as with the I controller', () => {
    const opts = { rtol: 1e-8, atol: 1e-8, controller: { pcoeff: 0.3, icoeff: 0.4 } };
    const ys = odeint(kepler.f, kepler.y0, [0, 4], opts);
    expect(maxError(ys.index(1), kepler.exact(4))).toBeLessThan(300 * 1e-8);
  });
});

describe('PIController', () => {
  it('is the I controller h * 0.9 e^(-1/k) by default, clipped to [0.2, 10]', () => {
    const c = new PIController(4); // k = 5
    expect(c.propose(1, 0.5, true)).toBeCloseTo(0.9 * 0.5 ** -0.2, 14);
    expect(c.propose(1, 1e-12, true)).toBe(10);
    expect(c.propose(1, 1e6, false)).toBe(0.2);
    expect(c.propose(1, Number.NaN, false)).toBe(0.2);
    expect(c.propose(1, 0, true)).toBe(10);
  });

  it('never grows the step after a rejection', () => {
    const c = new PIController(4, { safety: 1.5 });
    expect(c.propose(1, 1.01, false)).toBeLessThanOrEqual(1);
  });

  it('has a memory: h e_n^(-(p + i)/k) e_{n-1}^(p/k) with safety 0.9', () => {
    const c = new PIController(2, { pcoeff: 0.3, icoeff: 0.4 }); // k = 3
    c.propose(1, 0.25, true);
    expect(c.propose(2, 0.5, true)).toBeCloseTo(2 * 0.9 * 0.5 ** (-0.7 / 3) * 0.25 ** (0.3 / 3), 14);
  });
});

describe('initialStep (Hairer, Norsett, Wanner II.4)', () => {
  it("matches the formula on y' = -y", () => {
    const f = (_t: number, y: A.Var) => A.neg(y);
    const y0 = T.tensor([1]);
    const h = initialStep(f, 0, y0, T.tensor([-1]), 1, 5, 1e-6, 1e-6, rmsNorm);
    // d0 = d1 = 1 / 2e-6, h0 = 0.01; d2 = |f(h0) - f0| / h0 / sc = 1 / 2e-6; h1 = (0.01 / d2)^(1/6).
    expect(h).toBeCloseTo(Math.min(1, (0.01 * 2e-6) ** (1 / 6)), 12);
  });
  it('falls back to 1e-6 when f carries no information (f = 0)', () => {
    const f = (_t: number, y: A.Var) => A.mul(y, 0);
    expect(initialStep(f, 0, T.tensor([1]), T.tensor([0]), 1, 5, 1e-6, 1e-6, rmsNorm)).toBe(1e-6);
  });
});
