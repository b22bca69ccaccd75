/** Runs every docs/examples/sde-*.ts so that the documentation cannot rot. */
import { describe, expect, it } from 'vitest';
import { main as brownian } from '../../../docs/examples/sde-brownian.js';
import { main as gbm } from '../../../docs/examples/sde-gbm.js';
import { main as resnetLimit } from '../../../docs/examples/sde-resnet-limit.js';

const quiet = () => {};

describe('docs/examples/sde-*', () => {
  it('brownian: two grids see one path; increments have variance h', () => {
    const r = brownian(quiet);
    expect(r.sharedTimesDiff).toBeLessThanOrEqual(1e-12);
    for (const row of r.rows) {
      expect(Math.abs(row.mean)).toBeLessThan(5 * Math.sqrt(row.h / 2000));
      expect(Math.abs(row.varianceRatio - 1)).toBeLessThan(5 * Math.sqrt(2 / 2000));
    }
  });

  it('gbm: measured strong orders 0.5, 1, 1 and the pathwise gradient of the mean', () => {
    const r = gbm(quiet, 400);
    expect(Math.abs(r.orders['euler-maruyama']! - 0.5)).toBeLessThan(0.2);
    expect(Math.abs(r.orders.milstein! - 1)).toBeLessThan(0.2);
    expect(Math.abs(r.orders['euler-heun']! - 1)).toBeLessThan(0.2);
    expect(Math.abs(r.dMu - r.dMuExact) / r.dMuExact).toBeLessThan(0.1);
  });

  it('resnet-limit: the ResNet is Euler-Maruyama, and converges to the SDE at rate about L^(-1/2)', () => {
    const r = resnetLimit(quiet, { networks: 3, batch: 8, depths: [4, 16, 64], referenceDepth: 1024 });
    expect(r.eulerMaruyamaMismatch).toBeLessThan(1e-12);
    expect(Math.abs(r.rate - 0.5)).toBeLessThan(0.2);
    expect(r.errors[2]!).toBeLessThan(r.errors[0]!);
    expect(r.medianRatio).toBeGreaterThan(0.1);
    expect(r.medianRatio).toBeLessThan(10);
  });
});
