// Fixed-step RK4 through odeint equals a hand-written loop of classic RK4 steps (on plain numbers)
// to 1e-14 relative: the generic stepper adds nothing and loses nothing.
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { odeint } from '../src/index.js';

/** y' = tanh(W y + b) * cos(t) for one state vector, with numbers only. */
function handWrittenRk4(W: number[][], b: number[], y0: number[], ts: number[], h: number): number[][] {
  const f = (t: number, y: number[]) =>
    W.map((row, i) => Math.tanh(row.reduce((s, w, j) => s + w * y[j]!, 0) + b[i]!) * Math.cos(t));
  const axpy = (y: number[], a: number, k: number[]) => y.map((v, i) => v + a * k[i]!);
  const out = [y0];
  let y = y0;
  for (let n = 1; n < ts.length; n++) {
    const steps = Math.ceil((ts[n]! - ts[n - 1]!) / h - 1e-9);
    const dt = (ts[n]! - ts[n - 1]!) / steps;
    for (let s = 0; s < steps; s++) {
      const t = ts[n - 1]! + s * dt;
      const k1 = f(t, y);
      const k2 = f(t + dt / 2, axpy(y, dt / 2, k1));
      const k3 = f(t + dt / 2, axpy(y, dt / 2, k2));
      const k4 = f(t + dt, axpy(y, dt, k3));
      y = y.map((v, i) => v + (dt / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
    }
    out.push(y);
  }
  return out;
}

it('fixed-step rk4 equals the hand-written RK4 loop to 1e-14 relative', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1e6 }),
      fc.double({ min: 0.01, max: 0.3, noNaN: true }),
      (seed, h) => {
        const rng = T.createRng(seed);
        const W = T.randn([3, 3], rng);
        const b = T.randn([3], rng);
        const y0 = T.randn([3], rng);
        const ts = [0, 0.35, 1, 1.6];
        const f = (t: number, y: A.Var) => A.tanh(A.matmul(A.constant(W), y).add(b)).mul(Math.cos(t));
        const ours = odeint(f, y0, ts, { method: 'rk4', stepSize: h }).toArray() as number[][];
        const theirs = handWrittenRk4(
          W.toArray() as number[][],
          b.toArray() as number[],
          y0.toArray() as number[],
          ts,
          h,
        );
        for (const [n, row] of ours.entries()) {
          for (const [i, v] of row.entries()) {
            const ref = theirs[n]![i]!;
            expect(Math.abs(v - ref)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(ref)));
          }
        }
      },
    ),
    { numRuns: 20 },
  );
});
