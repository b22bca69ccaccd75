/** Runs every docs/examples/experiments-*.ts so that the documentation cannot rot. */
import { describe, expect, it } from 'vitest';
import { main as optimalControl } from '../../../docs/examples/experiments-optimal-control.js';
import { main as resnetToOde } from '../../../docs/examples/experiments-resnet-to-ode.js';
import { main as scalingInit } from '../../../docs/examples/experiments-scaling-init.js';
import { main as sweepFiles } from '../../../docs/examples/experiments-sweep-files.js';
import { main as weightsVsDepth } from '../../../docs/examples/experiments-weights-vs-depth.js';

const quiet = () => {};

describe('docs/examples/experiments-*', () => {
  it('scaling-init: critical beta 1/2 for i.i.d. weights, 1 for smooth ones', () => {
    const n = scalingInit(quiet, 6);
    expect(Math.abs(n['iid.criticalBeta']! - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(n['smooth.criticalBeta']! - 1)).toBeLessThan(0.15);
  });

  it('resnet-to-ode: slopes -1, -2, -4', () => {
    const s = resnetToOde(quiet);
    expect(s['euler (order 1)']).toBeCloseTo(-1, 0);
    expect(Math.abs(s['midpoint (order 2)']! + 2)).toBeLessThan(0.3);
    expect(Math.abs(s['rk4 (order 4)']! + 4)).toBeLessThan(0.3);
    expect(Math.abs(s['rk4, one weight set per layer']! + 1)).toBeLessThan(0.3);
  });

  it('weights-vs-depth: smooth increments shrink, i.i.d. ones do not', () => {
    const n = weightsVsDepth(quiet, 2);
    expect(n['tanh.smooth.incrementExponent']).toBeLessThan(-0.6);
    expect(Math.abs(n['tanh.iid.incrementExponent']!)).toBeLessThan(0.3);
  });

  it('optimal control: E-MSA beats basic MSA; L^2 curves agree across meshes', () => {
    const r = optimalControl(quiet, 6);
    expect(r.training['emsa.finalTrainLoss']).toBeLessThan(r.training['msa.finalTrainLoss']!);
    expect(r.l2Gap).toBeLessThan(0.1);
    expect(r.euclideanGap).toBeGreaterThan(r.l2Gap);
  });

  it('sweep files: merged shards = full run; resume runs nothing; the figure renders', async () => {
    const r = await sweepFiles(quiet);
    expect(r.merged).toEqual(r.full);
    expect(r.resumed.ran).toBe(0);
    expect(r.resumed.rows).toEqual(r.full);
    expect(r.svg).toContain('rk4 (order 4)');
  });
});
