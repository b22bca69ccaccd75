import { describe, expect, it } from 'vitest';
import { renderSvg } from '../src/experiments/figures/render.js';
import { fitSeries, resnetToOde } from '../src/experiments/resnet-to-ode/index.js';
import { runSweepInMemory } from '../src/experiments/sweep.js';

describe('resnet-to-ode: ResNets converge to the neural ODE at the order of their scheme', () => {
  const rows = runSweepInMemory(resnetToOde, {
    ...resnetToOde.presets.small,
    schemes: ['euler', 'midpoint', 'bosh3', 'rk4', 'dopri5'],
    depths: [8, 16, 32, 64, 128],
    perLayerSchemes: ['rk4'],
    width: 3,
    hidden: 5,
    batch: 4,
    // A smoother weight path reaches the asymptotic regime of dopri5 at smaller depths.
    lengthscale: 0.5,
  });
  const fits = fitSeries(rows);

  it('measures slope -1 for the Euler ResNet and -p for a layer that is one RK step of order p', () => {
    const byScheme = Object.fromEntries(
      fits.filter((f) => f.stageWeights === 'stage-times').map((f) => [f.scheme, f]),
    );
    for (const [scheme, order] of [
      ['euler', 1],
      ['midpoint', 2],
      ['bosh3', 3],
      ['rk4', 4],
      ['dopri5', 5],
    ] as const) {
      expect(byScheme[scheme], scheme).toBeDefined();
      expect(
        Math.abs(byScheme[scheme].slope + order),
        `${scheme}: slope ${byScheme[scheme].slope}`,
      ).toBeLessThan(0.3);
    }
  });

  it('one weight set per layer makes RK4 first order (theta varies inside the step)', () => {
    const perLayer = fits.find((f) => f.scheme === 'rk4' && f.stageWeights === 'layer');
    expect(perLayer?.slope).toBeGreaterThan(-1.2);
    expect(perLayer?.slope).toBeLessThan(-0.8);
  });

  it('the reference is dopri5 at the tight tolerance, and errors under its floor are flagged', () => {
    expect(rows.every((r) => (r.referenceNfe as number) > 100)).toBe(true);
    const dopri = rows.filter((r) => r.scheme === 'dopri5').map((r) => r.error as number);
    expect(Math.min(...dopri)).toBeLessThan(1e-9);
    const floor = rows.filter((r) => r.belowFloor).map((r) => r.error as number);
    const above = rows.filter((r) => !r.belowFloor).map((r) => r.error as number);
    expect(floor.length).toBeGreaterThan(0);
    expect(Math.max(...floor)).toBeLessThan(Math.min(...above));
    expect(Math.max(...floor)).toBeLessThan(1e-10);
  });

  it('draws the errors on log-log axes with the theoretical slopes', async () => {
    const svg = await renderSvg(resnetToOde.figures(rows)[0].spec);
    for (const label of [
      'euler (order 1)',
      'rk4, one weight set per layer',
      'slope -1',
      'slope -5',
      'dopri5 reference',
    ]) {
      expect(svg).toContain(label);
    }
  });
});
