/** Runs every docs/examples/adjoint-*.ts so that the documentation cannot rot. */
import { describe, expect, it } from 'vitest';
import { main as functionSpaceSgd } from '../../../docs/examples/adjoint-function-space-sgd.js';
import { main as lbfgs } from '../../../docs/examples/adjoint-lbfgs.js';
import { main as msa } from '../../../docs/examples/adjoint-msa.js';
import { main as pmp } from '../../../docs/examples/adjoint-pmp.js';

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
});
