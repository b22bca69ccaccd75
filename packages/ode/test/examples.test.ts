/** Runs every docs/examples/ode-*.ts so that the documentation cannot rot. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as basics } from '../../../docs/examples/ode-basics.js';
import { main as convergence } from '../../../docs/examples/ode-convergence.js';
import { main as convergencePlot } from '../../../docs/examples/ode-convergence-plot.js';
import { main as events } from '../../../docs/examples/ode-events.js';
import { main as gradients } from '../../../docs/examples/ode-gradients.js';
import { main as stiff } from '../../../docs/examples/ode-stiff.js';
import { SolverError } from '../src/index.js';

const quiet = () => {};

describe('docs/examples/ode-*', () => {
  it('basics: shapes, accuracy of dopri5 and rk4, output times that force no steps, a backwards solve', () => {
    const r = basics(quiet);
    expect(r.shape).toEqual([21, 3, 2]);
    expect(r.dopri5Error).toBeLessThan(1e-6);
    expect(r.rk4Error).toBeLessThan(1e-6);
    expect(r.backError).toBeLessThan(1e-6);
    expect(r.endOnly.accepted).toBe(r.stats.accepted);
  });

  it('gradients: gradcheck passes and gradient descent recovers the parameters', () => {
    const r = gradients(quiet, 40);
    expect(r.gradcheckOk).toBe(true);
    expect(r.finalLoss).toBeLessThan(r.initialLoss / 100);
    expect(Math.abs(r.c - r.truth.c)).toBeLessThan(0.02);
    expect(Math.abs(r.k - r.truth.k)).toBeLessThan(0.02);
  });

  it('stiff: kvaerno3 solves Van der Pol (mu = 1000), dopri5 runs out of steps', () => {
    const r = stiff(quiet, { tEnd: 300, maxSteps: 1000 });
    expect(r.implicit.stats.accepted).toBeLessThan(1000);
    // On the slow branch mu (1 - x^2) x' = x, so ln|x| - x^2 / 2 = ln 2 - 2 + t / mu: x(300) = 1.78.
    const x300 = r.implicit.ys.value.get(6, 0);
    expect(Math.abs(x300 - 1.78)).toBeLessThan(0.01);
    expect(r.explicitError).toBeInstanceOf(SolverError);
    expect(r.explicitError!.message).toMatch(/more than maxSteps = 1000/);
  });

  it('events: the landing time, and its gradient against finite differences', () => {
    const r = events(quiet);
    expect(r.tLand).toBeGreaterThan(Math.sqrt(40 / 9.81)); // drag delays the landing
    expect(r.ts).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(Math.abs(r.dH0 - r.dH0FiniteDifference)).toBeLessThan(1e-6);
    expect(r.dK).toBeGreaterThan(0);
  });

  it('convergence: every measured order within 0.2 of the method order (dopri8 linear: order 9 until rounding)', () => {
    const r = convergence(quiet);
    for (const row of r.rows) {
      expect(Math.abs(row.nonlinear - row.order), row.method).toBeLessThan(0.2);
      if (row.method === 'dopri8') expect(row.linear).toBeGreaterThan(7.8);
      else expect(Math.abs(row.linear - row.order), row.method).toBeLessThan(0.2);
    }
    for (const w of r.work) expect(w.error, `${w.method} at ${w.rtol}`).toBeLessThan(100 * w.rtol);
  });

  it('convergence plot: writes the SVG where asked, every series with its order, references below', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ode-convergence-plot-'));
    try {
      const out = join(dir, 'figure.svg');
      const r = await convergencePlot(out, quiet);
      const svg = readFileSync(out, 'utf8');
      expect(svg).toBe(r.svg);
      expect(svg.startsWith('<svg')).toBe(true);
      for (const name of ['linear 3×3', 'Kepler', 'rk4 (4)', 'dopri8 (8)', 'kvaerno3 (3)', 'h⁵']) {
        expect(svg, name).toContain(name);
      }
      // 12 methods x 2 problems x 4 step sizes, each series spanning a factor 8 in h at its order.
      expect(r.points).toHaveLength(96);
      const series = new Map<string, typeof r.points>();
      for (const p of r.points) {
        const key = `${p.method} on ${p.problem}`;
        series.set(key, [...(series.get(key) ?? []), p]);
      }
      expect(series.size).toBe(24);
      for (const [name, ps] of series) {
        const first = ps[0]!;
        const last = ps[3]!;
        const slope = Math.log(first.error / last.error) / Math.log(first.h / last.h);
        if (name === 'dopri8 on linear 3x3') expect(slope).toBeGreaterThan(7.8);
        else expect(Math.abs(slope - first.order), name).toBeLessThan(0.25);
        for (const p of ps) {
          const ref = r.references.find((q) => q.problem === p.problem && q.order === p.order)!;
          expect(ref.error * (p.h / ref.h) ** p.order, name).toBeLessThan(p.error);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
