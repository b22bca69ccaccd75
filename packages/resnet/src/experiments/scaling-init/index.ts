/**
 * scaling-init: how ||h_L - h_0|| / ||h_0|| and ||dLoss/dh_0|| / ||dLoss/dh_L|| of a ResNet at
 * initialisation behave as the depth L grows, for alpha_L = L^(-beta) (Marion, Fermanian, Biau,
 * Vert 2022). One point of the sweep is one initialisation and one depth (or one Hurst index at
 * the heatmap depth); it draws `samples` networks and evaluates every beta on the same networks.
 */
import { createRng } from '@resode/tensor';
import { choiceList, int, intList, num, numList, showList } from '../options.js';
import { seedFrom } from '../seed.js';
import { median, quantile } from '../stats.js';
import type { Experiment, Point, Row } from '../types.js';
import { scalingInitFigures } from './figures.js';
import { initRatios } from './kernel.js';
import { summarizeScalingInit } from './summary.js';
import { INIT_KINDS, type InitKind, sampleWeights } from './weights.js';

export interface ScalingInitOptions {
  /** Which parts to run: 'iid' and 'smooth' sweep depths, 'fgn' is the (H, beta) heatmap. */
  inits: InitKind[];
  depths: number[];
  /** Betas for i.i.d. weights. */
  betas: number[];
  /** Betas for smooth weights. */
  smoothBetas: number[];
  lengthscale: number;
  hursts: number[];
  heatmapBetas: number[];
  heatmapDepth: number;
  width: number;
  /** Dimension of the input x (h_0 = A x). */
  inputDim: number;
  samples: number;
  seed: number;
}

const small: ScalingInitOptions = {
  inits: ['iid', 'smooth', 'fgn'],
  depths: [10, 32, 100, 316, 1000],
  betas: [0.25, 0.5, 1],
  smoothBetas: [0.5, 1, 2],
  lengthscale: 0.1,
  hursts: [0.2, 0.5, 0.65, 0.8, 0.95],
  heatmapBetas: [0.25, 0.5, 0.75, 1, 1.25],
  heatmapDepth: 256,
  width: 40,
  inputDim: 64,
  samples: 20,
  seed: 0,
};

const large: ScalingInitOptions = {
  ...small,
  depths: [10, 120, 230, 340, 450, 560, 670, 780, 890, 1000],
  hursts: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95],
  heatmapBetas: [0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1, 1.125, 1.25],
  heatmapDepth: 1000,
  samples: 50,
};

/** The config of one network draw: everything that decides its weights, but not beta. */
function drawSeed(point: Point, sample: number): number {
  const { init, hurst, lengthscale, depth, width, inputDim, seed } = point;
  return seedFrom({ init, hurst, lengthscale, depth, width, inputDim, seed, sample });
}

function runPoint(point: Point): Row[] {
  const depth = point.depth as number;
  const width = point.width as number;
  const inputDim = point.inputDim as number;
  const betas = point.betas as number[];
  const spec = {
    init: point.init as InitKind,
    hurst: point.hurst as number | undefined,
    lengthscale: point.lengthscale as number | undefined,
  };
  const ratios = betas.map(() => [] as number[]);
  const gradRatios = betas.map(() => [] as number[]);
  for (let s = 0; s < (point.samples as number); s++) {
    const rng = createRng(drawSeed(point, s));
    const w = sampleWeights(spec, depth, width, rng);
    // h_0 = A x with x uniform in [0, 1]^inputDim and A uniform of variance 1/inputDim, as in the
    // paper's code; dLoss/dh_L = u is a random direction (a random linear read-out).
    const a = Math.sqrt(3 / inputDim);
    const x = Float64Array.from({ length: inputDim }, () => rng.uniform());
    const h0 = new Float64Array(width);
    for (let i = 0; i < width; i++) {
      for (let j = 0; j < inputDim; j++) h0[i] += a * (2 * rng.uniform() - 1) * x[j];
    }
    const u = Float64Array.from({ length: width }, () => rng.normal());
    betas.forEach((beta, b) => {
      const r = initRatios(w, depth ** -beta, h0, u);
      ratios[b].push(r.ratio);
      gradRatios[b].push(r.gradRatio);
    });
  }
  const { betas: _betas, ...config } = point;
  return betas.map((beta, b) => ({
    ...config,
    beta,
    ratioMedian: median(ratios[b]),
    ratioQ10: quantile(ratios[b], 0.1),
    ratioQ90: quantile(ratios[b], 0.9),
    gradRatioMedian: median(gradRatios[b]),
    gradRatioQ10: quantile(gradRatios[b], 0.1),
    gradRatioQ90: quantile(gradRatios[b], 0.9),
  }));
}

function points(o: ScalingInitOptions): Point[] {
  const common = { width: o.width, inputDim: o.inputDim, samples: o.samples, seed: o.seed };
  const out: Point[] = [];
  if (o.inits.includes('iid')) {
    for (const depth of o.depths) out.push({ init: 'iid', depth, betas: o.betas, ...common });
  }
  if (o.inits.includes('smooth')) {
    for (const depth of o.depths) {
      out.push({ init: 'smooth', lengthscale: o.lengthscale, depth, betas: o.smoothBetas, ...common });
    }
  }
  if (o.inits.includes('fgn')) {
    for (const hurst of o.hursts) {
      out.push({ init: 'fgn', hurst, depth: o.heatmapDepth, betas: o.heatmapBetas, ...common });
    }
  }
  return out;
}

const betaList = numList({ min: 0, max: 4 });

export const scalingInit: Experiment<ScalingInitOptions> = {
  name: 'scaling-init',
  title: 'Scaling of the residual branch at initialisation',
  description: 'ratios ||h_L - h_0||/||h_0|| and ||dLoss/dh_0||/||dLoss/dh_L|| at init over depths and betas',
  claim:
    'With alpha_L = L^(-beta) and i.i.d. weights of variance 1/d, as L grows the relative change ' +
    '||h_L - h_0|| / ||h_0|| vanishes for beta > 1/2, explodes for beta < 1/2 and stays of order one ' +
    'at beta = 1/2, within the bounds of Corollary 4 (Marion, Fermanian, Biau, Vert 2022). With weights ' +
    'smooth in depth the critical beta moves to 1; with fractional-noise weights of Hurst index H it ' +
    'sits near max(1/2, H).',
  presets: { small, large },
  options: [
    {
      key: 'inits',
      flag: '--inits <list>',
      description: 'parts to run: iid, smooth, fgn (heatmap)',
      parse: choiceList(INIT_KINDS),
      show: showList,
    },
    {
      key: 'depths',
      flag: '--depths <list>',
      description: 'depths L for iid and smooth',
      parse: intList({ min: 1, max: 100000 }),
      show: showList,
    },
    {
      key: 'betas',
      flag: '--betas <list>',
      description: 'betas for iid weights',
      parse: betaList,
      show: showList,
    },
    {
      key: 'smoothBetas',
      flag: '--smooth-betas <list>',
      description: 'betas for smooth weights',
      parse: betaList,
      show: showList,
    },
    {
      key: 'lengthscale',
      flag: '--lengthscale <x>',
      description: 'RBF lengthscale of smooth weights on [0, 1]',
      parse: num({ min: 0, exclusiveMin: true, max: 10 }),
    },
    {
      key: 'hursts',
      flag: '--hursts <list>',
      description: 'Hurst indices of the heatmap',
      parse: numList({ min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }),
      show: showList,
    },
    {
      key: 'heatmapBetas',
      flag: '--heatmap-betas <list>',
      description: 'betas of the heatmap',
      parse: betaList,
      show: showList,
    },
    {
      key: 'heatmapDepth',
      flag: '--heatmap-depth <n>',
      description: 'depth L of the heatmap',
      parse: int({ min: 2, max: 100000 }),
    },
    {
      key: 'width',
      flag: '--width <d>',
      description: 'width d of the hidden state',
      parse: int({ min: 1, max: 1000 }),
    },
    {
      key: 'inputDim',
      flag: '--input-dim <n>',
      description: 'dimension of the input x, h_0 = A x',
      parse: int({ min: 1, max: 10000 }),
    },
    {
      key: 'samples',
      flag: '--samples <n>',
      description: 'networks drawn per point (median and 10%/90% quantiles)',
      parse: int({ min: 1, max: 100000 }),
    },
    {
      key: 'seed',
      flag: '--seed <n>',
      description: 'seed of the sweep (each row is seeded from its config and this)',
      parse: int({ min: 0 }),
    },
  ],
  validate(o) {
    const errors: string[] = [];
    if (o.inits.includes('fgn') && o.heatmapBetas.length === 0) errors.push('--heatmap-betas is empty.');
    if (o.samples < 3)
      errors.push(`--samples must be at least 3 for quantiles to mean anything, got ${o.samples}.`);
    return errors;
  },
  points,
  run: runPoint,
  figures: scalingInitFigures,
  summarize: summarizeScalingInit,
};

/** One row of `scalingAtInit` (the DESIGN.md contract). */
export interface ScalingAtInitRow {
  beta: number;
  depth: number;
  ratioMedian: number;
  ratioQ10: number;
  ratioQ90: number;
  gradRatioMedian: number;
  gradRatioQ10: number;
  gradRatioQ90: number;
  init: InitKind;
}

/**
 * The scaling-init measurement as a function: block V relu(W h), one row per (beta, depth), in
 * the order of `depths` then `betas`. Same numbers as the CLI's rows for the same config.
 */
export function scalingAtInit(opts: {
  betas: number[];
  depths: number[];
  width: number;
  samples: number;
  seed: number;
  init?: 'iid' | 'smooth' | { hurst: number };
  lengthscale?: number;
  inputDim?: number;
}): ScalingAtInitRow[] {
  const init = opts.init ?? 'iid';
  const rows: Row[] = [];
  for (const depth of opts.depths) {
    const common = {
      depth,
      width: opts.width,
      inputDim: opts.inputDim ?? 64,
      samples: opts.samples,
      seed: opts.seed,
      betas: opts.betas,
    };
    const point: Point =
      init === 'iid'
        ? { init, ...common }
        : init === 'smooth'
          ? { init, lengthscale: opts.lengthscale ?? 0.1, ...common }
          : { init: 'fgn', hurst: init.hurst, ...common };
    rows.push(...runPoint(point));
  }
  return rows as unknown as ScalingAtInitRow[];
}
