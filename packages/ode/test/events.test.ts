// Events: the solve stops at the first root of g(t, y), located on the dense output to
// tolerance, with a differentiable event time.
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findRoot, type MethodName, odeSolve } from '../src/index.js';

const gravity = 9.81;
/** A falling ball: state [height, velocity]. */
const fall = (_t: number, y: A.Var) => A.stack([A.index(y, 1), A.constant(T.tensor(-gravity))]);
const hitsGround = { fn: (_t: number, y: A.Var) => A.index(y, 0) };
/** Exact landing time from height h0 with upward velocity v0. */
const landing = (h0: number, v0: number) => (v0 + Math.sqrt(v0 * v0 + 2 * gravity * h0)) / gravity;

describe('a falling ball stops the solve when it lands', () => {
  it.each<[MethodName, object]>([
    ['dopri5', {}],
    ['tsit5', {}],
    ['bosh3', { rtol: 1e-10 }],
    ['dopri8', {}],
    ['rk4', { stepSize: 0.1 }],
    ['kvaerno3', {}],
  ])('%s locates the landing time to 1e-10', (method, opts) => {
    const sol = odeSolve(fall, T.tensor([10, 2]), [0, 0.5, 1, 1.5, 2, 2.5, 3], {
      method,
      event: hitsGround,
      ...opts,
    });
    const tLand = landing(10, 2); // 1.6488...
    expect(sol.event).toBeDefined();
    expect(Math.abs(sol.event!.t.item() - tLand)).toBeLessThan(1e-10);
    // The state there: height 0, velocity v0 - g t.
    const [h, v] = sol.event!.y.value.values();
    expect(Math.abs(h!)).toBeLessThan(1e-9);
    expect(v).toBeCloseTo(2 - gravity * tLand, 8);
    // Outputs stop before the event: ts up to 1.5.
    expect(sol.ts).toEqual([0, 0.5, 1, 1.5]);
    expect(sol.ys.shape).toEqual([4, 2]);
  });

  it('the event time is differentiable: dt/dh0 and dt/dv0 match the closed form', () => {
    const tEvent = (y0: A.Var) => odeSolve(fall, y0, [0, 3], { event: hitsGround }).event!.t;
    const [g] = A.grad(tEvent)(T.tensor([10, 2]));
    const root = Math.sqrt(4 + 2 * gravity * 10);
    expect(g!.value.get(0)).toBeCloseTo(1 / root, 9);
    expect(g!.value.get(1)).toBeCloseTo((1 + 2 / root) / gravity, 9);
  });

  it('gradcheck of the event time and state with drag (no closed form), wrt y0 and the drag coefficient', () => {
    const dragged = (k: A.Var) => (_t: number, y: A.Var) => {
      const v = A.index(y, 1);
      return A.stack([v, A.sub(A.mul(A.mul(v, A.abs(v)), A.neg(k)), gravity)]);
    };
    const loss = (y0: A.Var, k: A.Var) => {
      const { event } = odeSolve(dragged(k), y0, [0, 5], { event: hitsGround, rtol: 1e-10, atol: 1e-12 });
      return A.add(event!.t.mul(3), A.sum(A.mul(event!.y, T.tensor([0.5, -0.7]))));
    };
    const report = A.gradcheck(loss, [T.tensor([10, 2]), T.tensor(0.05)], { rtol: 1e-5 });
    expect(report.ok, JSON.stringify(report.worst)).toBe(true);
  });
});

describe('event directions', () => {
  // y' = 1 from 0: g = sin(pi y) falls through 0 at t = 1 and rises through 0 at t = 2.
  const f = (_t: number, y: A.Var) => A.add(A.mul(y, 0), 1);
  const g = (_t: number, y: A.Var) => A.sin(A.mul(y, Math.PI)).sum();
  it.each([
    ['either', 1],
    ['falling', 1],
    ['rising', 2],
  ] as const)('%s: the first crossing is at t = %d', (direction, expected) => {
    const sol = odeSolve(f, T.tensor([0]), [0, 3], { event: { fn: g, direction } });
    expect(sol.event!.t.item()).toBeCloseTo(expected, 10);
  });
  it('g = 0 at the initial time is not an event; no root means no event', () => {
    const sol = odeSolve(f, T.tensor([0]), [0, 0.5, 0.9], { event: { fn: g } });
    expect(sol.event).toBeUndefined();
    expect(sol.ts).toEqual([0, 0.5, 0.9]);
  });
  it('works backwards in time', () => {
    const sol = odeSolve(f, T.tensor([0]), [0, -3], { event: { fn: g, direction: 'rising' } });
    // Going back, y = t: sin(pi y) rises through 0 at y = -1.
    expect(sol.event!.t.item()).toBeCloseTo(-1, 10);
  });
  it('an event function may return a plain number', () => {
    const sol = odeSolve(f, T.tensor([0]), [0, 3], { event: { fn: (t) => t - 1.25 } });
    expect(sol.event!.t.item()).toBeCloseTo(1.25, 12);
  });
});

describe('findRoot (Illinois with bisection safeguard)', () => {
  it('brackets the root of a monotone cubic to the tolerance', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.9, max: 0.9, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (r, k) => {
          const s = (t: number) => k * (t - r) ** 3 + (t - r);
          const root = findRoot(s, -1, s(-1), 1, s(1), 1e-13);
          return Math.abs(root - r) < 1e-12;
        },
      ),
      { numRuns: 100 },
    );
  });
  it('returns the end point when s(b) = 0', () => {
    expect(findRoot((t) => t - 1, 0, -1, 1, 0, 1e-12)).toBe(1);
  });
});
