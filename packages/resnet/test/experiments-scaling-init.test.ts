import { describe, expect, it } from 'vitest';
import { scalingInit } from '../src/experiments/scaling-init/index.js';
import { corollary4Bounds } from '../src/experiments/scaling-init/theory.js';
import { runSweepInMemory } from '../src/experiments/sweep.js';
import type { StoredRow } from '../src/experiments/types.js';
import { scalingAtInit } from '../src/scaling.js';

const base = { ...scalingInit.presets.small, width: 20, samples: 8, depths: [16, 64, 256] };

/** Median ratio against depth for one (init, beta). */
function curve(rows: readonly StoredRow[], init: string, beta: number): number[] {
  return rows
    .filter((r) => r.init === init && r.beta === beta)
    .sort((a, b) => (a.depth as number) - (b.depth as number))
    .map((r) => r.ratioMedian as number);
}

const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);
const decreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x < xs[i - 1]);
const spread = (xs: number[]) => Math.max(...xs) / Math.min(...xs);

describe('scaling-init: the three regimes of Marion et al. (2022)', () => {
  const iid = runSweepInMemory(scalingInit, { ...base, inits: ['iid'], betas: [0.25, 0.5, 1] });
  const smooth = runSweepInMemory(scalingInit, { ...base, inits: ['smooth'], smoothBetas: [0.5, 1, 2] });

  it('i.i.d. weights: vanishes for beta = 1, order one for 1/2, explodes for 1/4', () => {
    expect(decreasing(curve(iid, 'iid', 1))).toBe(true);
    expect(spread(curve(iid, 'iid', 0.5))).toBeLessThan(1.5);
    expect(increasing(curve(iid, 'iid', 0.25))).toBe(true);
    expect(spread(curve(iid, 'iid', 0.25))).toBeGreaterThan(3);
    const { numbers } = scalingInit.summarize(iid);
    // beta = 1 decays like L^(1/2 - beta); the exponent changes sign at beta = 1/2.
    expect(numbers['iid.beta=1.slope']).toBeGreaterThan(-0.5 - 0.15);
    expect(numbers['iid.beta=1.slope']).toBeLessThan(-0.5 + 0.15);
    expect(Math.abs(numbers['iid.criticalBeta'] - 0.5)).toBeLessThan(0.1);
  });

  it('smooth weights move the critical beta to 1', () => {
    expect(spread(curve(smooth, 'smooth', 1))).toBeLessThan(1.5);
    expect(increasing(curve(smooth, 'smooth', 0.5))).toBe(true);
    expect(decreasing(curve(smooth, 'smooth', 2))).toBe(true);
    const { numbers } = scalingInit.summarize(smooth);
    expect(numbers['smooth.beta=2.slope']).toBeCloseTo(-1, 0);
    expect(Math.abs(numbers['smooth.criticalBeta'] - 1)).toBeLessThan(0.15);
  });

  it('fractional noise: the boundary beta rises with the Hurst index', () => {
    const rows = runSweepInMemory(scalingInit, {
      ...base,
      inits: ['fgn'],
      hursts: [0.3, 0.9],
      heatmapBetas: [0.25, 0.5, 0.75, 1, 1.25],
      heatmapDepth: 64,
    });
    const { numbers } = scalingInit.summarize(rows);
    expect(Math.abs(numbers['fgn.H=0.3.boundaryBeta'] - 0.5)).toBeLessThan(0.15);
    expect(numbers['fgn.H=0.9.boundaryBeta']).toBeGreaterThan(numbers['fgn.H=0.3.boundaryBeta'] + 0.2);
  });

  it("rows are scalingAtInit's rows (the DESIGN.md contract) plus their config", () => {
    const api = scalingAtInit({
      betas: [0.25, 0.5, 1],
      depths: [64],
      width: 20,
      samples: 8,
      seed: 0,
      init: { kind: 'iid', distribution: 'uniform' },
    });
    const mine = iid.filter((r) => r.depth === 64);
    expect(mine.map((r) => r.beta)).toEqual([0.25, 0.5, 1]);
    for (const [i, row] of api.entries()) {
      for (const field of [
        'beta',
        'depth',
        'ratioMedian',
        'ratioQ10',
        'ratioQ90',
        'gradRatioMedian',
      ] as const) {
        expect(mine[i][field]).toBe(row[field]);
      }
      expect(row.ratioQ10).toBeLessThanOrEqual(row.ratioMedian);
      expect(row.ratioMedian).toBeLessThanOrEqual(row.ratioQ90);
    }
  });

  it('Corollary 4 bounds: the upper bound holds at beta = 1/2, the lower one is vacuous for d delta < 156', () => {
    const { lower, upper } = corollary4Bounds(20, 0.1);
    expect(lower).toBeNull();
    expect(Math.max(...iid.filter((r) => r.beta === 0.5).map((r) => r.ratioQ90 as number))).toBeLessThan(
      upper,
    );
    const wide = corollary4Bounds(4000, 0.5);
    expect(wide.lower).toBeGreaterThan(0);
    expect(wide.lower as number).toBeLessThan(wide.upper);
  });

  it('rejects bad options with a sentence', () => {
    expect(scalingInit.validate({ ...base, samples: 2 })).toEqual([
      '--samples must be at least 3 for quantiles to mean anything, got 2.',
    ]);
  });
});
