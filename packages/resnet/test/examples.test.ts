/** Runs every docs/examples/resnet-*.ts so that the documentation cannot rot. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as odeLimit } from '../../../docs/examples/resnet-ode-limit.js';
import { main as quickstart } from '../../../docs/examples/resnet-quickstart.js';
import { main as scaling } from '../../../docs/examples/resnet-scaling.js';

const quiet = () => {};

describe('docs/examples/resnet-*', () => {
  it('quickstart: a ResNet and a neural ODE trained and saved; the saved ResNet reloads exactly', () => {
    const r = quickstart(mkdtempSync(join(tmpdir(), 'resode-quickstart-')), quiet);
    expect(r.resnet.testAccuracy!).toBeGreaterThan(0.95);
    expect(r.neuralOde.testAccuracy!).toBeGreaterThan(0.95);
    expect(r.nfe.nfeBackward).toBeGreaterThan(0); // the adjoint solved backwards
    expect(r.reloadedAgrees).toBe(true);
  });

  it('scaling: the three regimes for i.i.d. weights, critical beta = 1 for smooth ones', () => {
    const { iid, smooth } = scaling(quiet, [10, 200]);
    const at = (rows: typeof iid, beta: number, depth: number) =>
      rows.find((r) => r.beta === beta && r.depth === depth)!.ratioMedian;
    expect(at(iid, 1, 200)).toBeLessThan(at(iid, 1, 10) / 2);
    expect(at(iid, 0.25, 200)).toBeGreaterThan(3 * at(iid, 0.25, 10));
    expect(at(smooth, 0.5, 200)).toBeGreaterThan(3 * at(smooth, 0.5, 10));
    expect(at(smooth, 1, 200) / at(smooth, 1, 10)).toBeGreaterThan(0.6);
    expect(at(smooth, 1, 200) / at(smooth, 1, 10)).toBeLessThan(1.6);
  });

  it('ode-limit: Euler error O(1/L), RK4 O(1/L^4) against odeint', () => {
    const rows = odeLimit(quiet);
    const slope = (scheme: string) => {
      const r = rows.filter((x) => x.scheme === scheme);
      return Math.log(r.at(-1)!.error / r[0]!.error) / Math.log(r.at(-1)!.depth / r[0]!.depth);
    };
    expect(slope('euler')).toBeGreaterThan(-1.1);
    expect(slope('euler')).toBeLessThan(-0.9);
    expect(slope('rk4')).toBeLessThan(-3.7);
  });
});
