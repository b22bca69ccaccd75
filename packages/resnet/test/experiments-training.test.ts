import { describe, expect, it } from 'vitest';
import { renderSvg } from '../src/experiments/figures/render.js';
import { curveGap, meshIndependence } from '../src/experiments/mesh-independence/index.js';
import { msaVsSgd } from '../src/experiments/msa-vs-sgd/index.js';
import { runSweepInMemory } from '../src/experiments/sweep.js';
import { weightsVsDepth } from '../src/experiments/weights-vs-depth/index.js';

describe('weights-vs-depth: smooth vs rough trained weights', () => {
  const rows = runSweepInMemory(weightsVsDepth, {
    ...weightsVsDepth.presets.small,
    activations: ['tanh'],
    depths: [8, 32],
    width: 4,
    samples: 80,
    epochs: 2,
  });

  it('smooth initialisation: increments ~ 1/L; i.i.d.: increments do not shrink', () => {
    const { numbers } = weightsVsDepth.summarize(rows);
    expect(numbers['tanh.smooth.incrementExponent']).toBeLessThan(-0.7);
    expect(numbers['tanh.smooth.quadVariationExponent']).toBeLessThan(-0.5);
    expect(Math.abs(numbers['tanh.iid.incrementExponent'])).toBeLessThan(0.3);
    expect(numbers['tanh.iid.quadVariationExponent']).toBeGreaterThan(0.7);
  });

  it('training lowered the loss and moved the weights; every row carries its weight path', () => {
    for (const r of rows) {
      expect(r.changeMaxIncrement as number).toBeGreaterThan(0);
      expect(r.path as number[]).toHaveLength(r.depth as number);
      expect(r.trainLoss as number).toBeLessThan(0.1);
    }
  });

  it('draws the scaling panels and the paths against k/L', async () => {
    const [scaling, paths] = weightsVsDepth.figures(rows);
    const svg = await renderSvg(scaling.spec);
    expect(svg).toContain('smooth limit: L^-1');
    expect(svg).toContain('tanh, iid init');
    expect(await renderSvg(paths.spec)).toContain('s = k/L');
  });
});

describe('msa-vs-sgd: training as optimal control', () => {
  const rows = runSweepInMemory(msaVsSgd, {
    ...msaVsSgd.presets.small,
    methods: ['sgd', 'msa', 'emsa'],
    iterations: 6,
    samples: 60,
  });
  const curve = (m: string) => rows.filter((r) => r.method === m).map((r) => r.trainLoss as number);

  it('every method starts from the same network: the first losses agree', () => {
    const firsts = ['sgd', 'msa', 'emsa'].map((m) => curve(m)[0]);
    expect(firsts[1]).toBeCloseTo(firsts[0], 12);
    expect(firsts[2]).toBeCloseTo(firsts[0], 12);
  });

  it('E-MSA and SGD decrease the loss; basic MSA, unpenalised, does worse than E-MSA', () => {
    const emsa = curve('emsa');
    expect(emsa.at(-1)).toBeLessThan(emsa[0] / 3);
    expect(curve('sgd').at(-1)).toBeLessThan(curve('sgd')[0]);
    expect(curve('msa').at(-1) as number).toBeGreaterThan(emsa.at(-1) as number);
  });
});

describe('mesh-independence: function-space SGD', () => {
  const rows = runSweepInMemory(meshIndependence, {
    ...meshIndependence.presets.small,
    depths: [8, 64],
    steps: 12,
    samples: 32,
  });

  it('L^2 steps give the same curve on every mesh; Euclidean steps slow down as L grows', () => {
    const l2 = curveGap(rows, 'L2');
    const euclid = curveGap(rows, 'euclidean');
    expect(l2?.gap).toBeLessThan(0.1);
    expect(euclid?.gap).toBeGreaterThan(2 * (l2?.gap ?? 1));
    const final = (metric: string, L: number) =>
      rows.filter((r) => r.metric === metric && r.depth === L).at(-1)?.cost as number;
    expect(final('euclidean', 64)).toBeGreaterThan(final('euclidean', 8));
  });
});
