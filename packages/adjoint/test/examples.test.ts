/** Runs every docs/examples/adjoint-*.ts so that the documentation cannot rot. */
import { describe, expect, it } from 'vitest';
import { main as checkpoint } from '../../../docs/examples/adjoint-checkpoint.js';
import { main as discreteVsContinuous } from '../../../docs/examples/adjoint-discrete-vs-continuous.js';
import { main as functionSpaceSgd } from '../../../docs/examples/adjoint-function-space-sgd.js';
import { main as lbfgs } from '../../../docs/examples/adjoint-lbfgs.js';
import { main as msa } from '../../../docs/examples/adjoint-msa.js';
import { main as odeintAdjoint } from '../../../docs/examples/adjoint-odeint.js';
import { main as pmp } from '../../../docs/examples/adjoint-pmp.js';
import { main as pmpOde } from '../../../docs/examples/adjoint-pmp-ode.js';

const quiet = () => {};

describe('docs/examples/adjoint-*', () => {
  it('lbfgs: L-BFGS reaches the minimiser, gradient descent does not', () => {
    const [quasiNewton, descent] = lbfgs(quiet);
    expect(quasiNewton!.error).toBeLessThan(1e-8);
    expect(descent!.error).toBeGreaterThan(1e-2);
  });

  it('pmp: -alpha dH/dtheta is the backprop gradient in every layer', () => {
    const r = pmp(quiet);
    expect(r.cost).toBeCloseTo(r.unrolled, 12);
    for (const row of r.rows) expect(row.relativeError).toBeLessThan(1e-12);
  });

  it('msa: E-MSA decreases the cost monotonically and beats basic MSA with the same maximiser', () => {
    const [ascent, basic, extended] = msa(quiet);
    expect(ascent!.costs.at(-1)!).toBeLessThan(ascent!.costs[0]!);
    expect(extended!.costs.slice(1).every((c, i) => c <= extended!.costs[i]!)).toBe(true);
    expect(extended!.costs.at(-1)!).toBeLessThan(basic!.costs.at(-1)!);
  });

  it('function-space SGD: L^2 curves agree across meshes, Euclidean ones do not', () => {
    const curves = functionSpaceSgd(quiet, 6);
    const gap = (a: number[], b: number[]) => Math.max(...a.map((c, i) => Math.abs(c - b[i]!))) / b[0]!;
    expect(gap(curves['L2 L=16']!, curves['L2 L=256']!)).toBeLessThan(0.01);
    expect(gap(curves['euclidean L=16']!, curves['euclidean L=256']!)).toBeGreaterThan(0.1);
  });

  it('odeint: the adjoint matches the closed form and backprop; the seminorm saves backward evaluations', () => {
    const { closedForm, rows } = odeintAdjoint(quiet);
    expect(closedForm.dy0).toBeCloseTo(closedForm.dy0Exact, 8);
    expect(closedForm.dtheta).toBeCloseTo(closedForm.dthetaExact, 8);
    for (const r of rows) expect(r.worst).toBeLessThan(1e-6);
    expect(rows[1]!.nfeBackward).toBeLessThan(rows[0]!.nfeBackward);
  });

  it('discrete vs continuous: both converge to the exact gradient and to each other', () => {
    const rows = discreteVsContinuous(quiet);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.gap).toBeLessThan(rows[i - 1]!.gap);
      expect(rows[i]!.continuousError).toBeLessThan(rows[i - 1]!.continuousError);
    }
    expect(rows.at(-1)!.gap).toBeLessThan(1e-8);
  });

  it('checkpoint: every strategy gives the backprop gradient; memory ranks adjoint < binomial < uniform < backprop', () => {
    const rows = checkpoint(quiet, 200);
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    // Checkpointing is backprop exactly; the adjoint is the continuous one, close at 200 RK4 steps.
    for (const r of rows) expect(r.diff).toBeLessThan(r.name === 'adjoint' ? 1e-8 : 1e-12);
    expect(by.adjoint!.stored).toBeLessThan(by['checkpoint, binomial, 5']!.stored);
    expect(by['checkpoint, binomial, 5']!.stored).toBeLessThan(by['checkpoint, uniform, 32']!.stored);
    expect(by['checkpoint, uniform, 32']!.stored).toBeLessThan(by.backprop!.stored);
    expect(by['checkpoint, binomial, 10']!.recomputed).toBeLessThan(
      by['checkpoint, binomial, 5']!.recomputed,
    );
  });

  it('pmp-ode: the Hamiltonian is conserved and -integral dH/dtheta is the gradient', () => {
    const r = pmpOde(quiet);
    expect(r.spread).toBeLessThan(1e-8);
    expect(r.quadratureError).toBeLessThan(1e-6);
  });
});
