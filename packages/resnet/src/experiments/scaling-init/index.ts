/**
 * scaling-init: how ||h_L - h_0|| / ||h_0|| and ||dLoss/dh_0|| / ||dLoss/dh_L|| of a ResNet at
 * initialisation behave as the depth L grows, for alpha_L = L^(-beta) (Marion, Fermanian, Biau,
 * Vert 2022). One point of the sweep is one initialisation and one depth (or one Hurst index at
 * the heatmap depth); it draws `samples` networks and evaluates every beta on the same networks.
 */
import type { InitSpec } from '../../init/index.js';
import { scalingAtInit } from '../../scaling.js';
import { choiceList, int, intList, num, numList, showList } from '../options.js';
import type { Experiment, Json, Point, Row } from '../types.js';
import { scalingInitFigures } from './figures.js';
import { summarizeScalingInit } from './summary.js';

/**
 * The three initialisations of Marion et al. (2022), entries of variance 1/d (init/index.ts):
 * 'iid' uniform, 'smooth' (theta_k = theta(k/L), an RBF Gaussian process), and 'fgn' (each entry
 * fractional Gaussian noise in k, of Hurst index H: the heatmap).
 */
export type InitKind = 'iid' | 'smooth' | 'fgn';
export const INIT_KINDS: readonly InitKind[] = ['iid', 'smooth', 'fgn'];

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
  heatmapDepth: 128,
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

/**
 * One point: `samples` networks at one depth, every beta evaluated on the same networks, by the
 * resnet package's scalingAtInit (so the CLI's rows are the rows of the public function).
 */
function runPoint(point: Point): Row[] {
  const { betas, depth, init, hurst, lengthscale, ...rest } = point as Record<string, Json>;
  const initSpec: InitSpec =
    init === 'iid'
      ? { kind: 'iid', distribution: 'uniform' }
      : init === 'smooth'
        ? { kind: 'smooth', lengthscale: lengthscale as number }
        : { kind: 'fbm', hurst: hurst as number };
  const rows = scalingAtInit({
    betas: betas as number[],
    depths: [depth as number],
    width: rest.width as number,
    samples: rest.samples as number,
    seed: rest.seed as number,
    inputDim: rest.inputDim as number,
    init: initSpec,
  });
  const { betas: _betas, ...config } = point;
  return rows.map((r) => ({ ...config, ...r }));
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
