import { describe, expect, it } from 'vitest';
import { renderSvg } from '../src/experiments/figures/render.js';
import { scalingInit } from '../src/experiments/scaling-init/index.js';
import { runSweepInMemory } from '../src/experiments/sweep.js';

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('figures: Vega-Lite specs rendered to SVG in Node', () => {
  const rows = runSweepInMemory(scalingInit, {
    ...scalingInit.presets.small,
    depths: [8, 32, 128],
    width: 10,
    samples: 4,
    hursts: [0.3, 0.7],
    heatmapDepth: 32,
    heatmapBetas: [0.5, 1],
  });
  const figures = scalingInit.figures(rows);

  it('scaling-init draws the i.i.d. and smooth panels and the heatmap', () => {
    expect(figures.map((f) => f.name)).toEqual([
      'scaling-init-iid',
      'scaling-init-smooth',
      'scaling-init-fgn-heatmap',
    ]);
  });

  it('the i.i.d. figure has log axes, measured lines, bands, a legend and the Corollary 4 bound', async () => {
    const svg = await renderSvg(figures[0].spec);
    expect(svg.startsWith('<svg')).toBe(true);
    // Three betas, two panels: a line and a band per beta and panel, plus theory lines.
    expect(count(svg, 'role-mark')).toBeGreaterThanOrEqual(6);
    expect(count(svg, '<path')).toBeGreaterThan(30);
    for (const label of [
      'beta = 0.25',
      'beta = 0.5',
      'beta = 1',
      'Cor. 4 bound at beta = 1/2',
      'slope 1/2 - beta = -0.5',
    ]) {
      expect(svg).toContain(label);
    }
    expect(svg).toContain('depth L');
    expect(svg).toContain('||h_L - h_0|| / ||h_0||');
    // A log axis labels decades.
    expect(svg).toMatch(/>10<\/text>/);
    expect(svg).toMatch(/>100<\/text>/);
  });

  it('the heatmap has one labelled cell per (H, beta) and the boundary curve', async () => {
    const svg = await renderSvg(figures[2].spec);
    expect(svg).toContain('Hurst index H');
    expect(svg).toContain('beta = max(1/2, H)');
    const cells = rows.filter((r) => r.init === 'fgn');
    expect(cells).toHaveLength(4);
    for (const c of cells) expect(svg).toContain(`>${Math.log10(c.ratioMedian as number).toFixed(1)}<`);
  });
});
