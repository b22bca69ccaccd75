/**
 * resnet-to-ode: a ResNet with alpha = 1/L and theta_k = theta(k/L) is the explicit Euler scheme
 * of the neural ODE dx/dt = f(x, theta(t)) (Chen et al. 2018; E, Han, Li 2019), so its output
 * converges to x(1) at rate 1/L; a ResNet whose layer is one step of a Runge-Kutta scheme, with
 * the weights of each stage read at that stage's time, converges at the scheme's order. Measured
 * against the ODE solved by dopri5 at a tight tolerance.
 */

import { TABLEAUX } from '@resode/ode';
import { maxAbsDiff } from '@resode/tensor';
import { SCHEMES, type SchemeName } from '../../models/resnet.js';
import { logLogChart, type TheoryPoint } from '../figures/charts.js';
import { choiceList, int, intList, num, showList } from '../options.js';
import { canonicalJson } from '../seed.js';
import { fitPowerLaw } from '../stats.js';
import type { Experiment, Figure, Point, Row, StoredRow, Summary } from '../types.js';
import { makeTheta, type OdeProblem, odeReference, resnetOutput, type Theta } from './problem.js';

export interface ResnetToOdeOptions {
  schemes: SchemeName[];
  depths: number[];
  /** Schemes also run with one weight set per layer (theta_k in every stage): first order only. */
  perLayerSchemes: SchemeName[];
  width: number;
  hidden: number;
  batch: number;
  lengthscale: number;
  /** rtol = atol of the dopri5 reference. */
  tol: number;
  seed: number;
}

const small: ResnetToOdeOptions = {
  schemes: ['euler', 'midpoint', 'heun', 'bosh3', 'rk4', 'dopri5'],
  depths: [4, 8, 16, 32, 64, 128, 256],
  perLayerSchemes: ['rk4'],
  width: 4,
  hidden: 8,
  batch: 8,
  lengthscale: 0.3,
  tol: 1e-13,
  seed: 0,
};

const large: ResnetToOdeOptions = {
  ...small,
  schemes: ['euler', 'midpoint', 'heun', 'ralston', 'bosh3', 'rk4', 'dopri5', 'tsit5'],
  depths: [4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024],
  perLayerSchemes: ['midpoint', 'rk4', 'dopri5'],
  width: 16,
  hidden: 32,
  batch: 64,
};

/** Errors below this multiple of the reference tolerance measure the reference, not the ResNet. */
const FLOOR_FACTOR = 10;
/**
 * The order is fitted on the largest depths above the floor: the asymptotic regime (at small L
 * high-order schemes often converge faster than their order before settling to it).
 */
const FIT_POINTS = 3;

// One process runs many points of one problem: build theta and the reference once.
const cache = new Map<string, { theta: Theta; x1: ReturnType<typeof odeReference> }>();
function problemOf(point: Point): {
  p: OdeProblem;
  theta: Theta;
  reference: ReturnType<typeof odeReference>;
} {
  const p: OdeProblem = {
    width: point.width as number,
    hidden: point.hidden as number,
    batch: point.batch as number,
    lengthscale: point.lengthscale as number,
    seed: point.seed as number,
  };
  const key = canonicalJson({ ...p, tol: point.tol });
  let hit = cache.get(key);
  if (!hit) {
    const theta = makeTheta(p);
    hit = { theta, x1: odeReference(p, theta, point.tol as number) };
    if (cache.size > 16) cache.clear();
    cache.set(key, hit);
  }
  return { p, theta: hit.theta, reference: hit.x1 };
}

function run(point: Point): Row[] {
  const { p, theta, reference } = problemOf(point);
  const scheme = point.scheme as SchemeName;
  const out = resnetOutput(
    p,
    theta,
    point.depth as number,
    scheme,
    point.stageWeights as 'stage-times' | 'layer',
  );
  const error = maxAbsDiff(out, reference.x1);
  const scale = Math.max(1, ...Array.from(reference.x1.values(), Math.abs));
  return [
    {
      ...point,
      order: TABLEAUX[scheme].order,
      error,
      referenceNfe: reference.nfe,
      belowFloor: error < FLOOR_FACTOR * (point.tol as number) * scale,
    },
  ];
}

function points(o: ResnetToOdeOptions): Point[] {
  const common = {
    width: o.width,
    hidden: o.hidden,
    batch: o.batch,
    lengthscale: o.lengthscale,
    tol: o.tol,
    seed: o.seed,
  };
  const out: Point[] = [];
  for (const scheme of o.schemes)
    for (const depth of o.depths) out.push({ scheme, stageWeights: 'stage-times', depth, ...common });
  for (const scheme of o.perLayerSchemes)
    for (const depth of o.depths) out.push({ scheme, stageWeights: 'layer', depth, ...common });
  return out;
}

const seriesName = (r: Row): string =>
  r.stageWeights === 'layer' && r.scheme !== 'euler'
    ? `${r.scheme}, one weight set per layer`
    : `${r.scheme} (order ${r.order})`;

/** The order the theory predicts: the scheme's, or 1 when every stage of a layer uses theta_k. */
const expectedOrder = (r: Row): number => (r.stageWeights === 'layer' ? 1 : (r.order as number));

interface SeriesFit {
  series: string;
  scheme: string;
  stageWeights: string;
  expected: number;
  slope: number;
  /** The depths of the fit. */
  depths: number[];
  /** The last fitted point (where the theory line is anchored). */
  anchor: { depth: number; error: number };
}

export function fitSeries(rows: readonly StoredRow[]): SeriesFit[] {
  const names = [...new Set(rows.map(seriesName))];
  return names.flatMap((series) => {
    const rs = rows
      .filter((r) => seriesName(r) === series && !r.belowFloor && (r.error as number) > 0)
      .sort((a, b) => (a.depth as number) - (b.depth as number))
      .slice(-FIT_POINTS);
    if (rs.length < 2) return [];
    const fit = fitPowerLaw(
      rs.map((r) => r.depth as number),
      rs.map((r) => r.error as number),
    );
    return [
      {
        series,
        scheme: rs[0].scheme as string,
        stageWeights: rs[0].stageWeights as string,
        expected: expectedOrder(rs[0]),
        slope: fit.slope,
        depths: rs.map((r) => r.depth as number),
        anchor: { depth: rs[rs.length - 1].depth as number, error: rs[rs.length - 1].error as number },
      },
    ];
  });
}

function summarize(rows: readonly StoredRow[]): Summary {
  const numbers: Record<string, number> = {};
  const lines = fitSeries(rows).map((f) => {
    numbers[`${f.scheme}${f.stageWeights === 'layer' ? '-per-layer' : ''}.slope`] = f.slope;
    return `${f.series}: error ~ L^${f.slope.toFixed(2)} (theory -${f.expected}; fitted on L = ${f.depths.join(', ')})`;
  });
  return { lines, numbers };
}

function figures(rows: readonly StoredRow[]): Figure[] {
  if (rows.length === 0) return [];
  const theory: TheoryPoint[] = [];
  for (const f of fitSeries(rows)) {
    const ds = rows.filter((r) => seriesName(r) === f.series).map((r) => r.depth as number);
    const { depth, error } = f.anchor;
    for (const x of [Math.min(...ds), Math.max(...ds)]) {
      theory.push({
        x,
        y: error * (x / depth) ** -f.expected,
        theory: `slope -${f.expected}`,
        group: f.series,
      });
    }
  }
  const depths = rows.map((r) => r.depth as number);
  const tol = rows[0].tol as number;
  theory.push(
    { x: Math.min(...depths), y: tol, theory: `dopri5 reference, rtol = atol = ${tol}` },
    { x: Math.max(...depths), y: tol, theory: `dopri5 reference, rtol = atol = ${tol}` },
  );
  return [
    {
      name: 'resnet-to-ode',
      title: 'ResNets converge to the neural ODE at the order of their scheme',
      spec: logLogChart({
        title: 'max |h_L - x(1)|: ResNet with alpha = 1/L, theta_k = theta(k/L), against the neural ODE',
        xTitle: 'depth L',
        yTitle: 'max |h_L - x(1)|',
        seriesTitle: 'layer = one step of',
        measured: rows.map((r) => ({
          x: r.depth as number,
          y: Math.max(r.error as number, 1e-300),
          series: seriesName(r),
        })),
        theory,
        width: 420,
        height: 320,
      }),
    },
  ];
}

const schemeList = choiceList(SCHEMES);

export const resnetToOde: Experiment<ResnetToOdeOptions> = {
  name: 'resnet-to-ode',
  title: 'From ResNets to neural ODEs',
  description:
    'error of ResNets with alpha = 1/L and smooth weights against the neural ODE (dopri5), for RK schemes',
  claim:
    'A ResNet h_{k+1} = h_k + (1/L) f(h_k, theta(k/L)) is the explicit Euler scheme of dx/dt = f(x, theta(t)) ' +
    'on [0, 1], so its output converges to the neural ODE solution x(1) with error O(1/L) (E 2017; Chen et al. ' +
    '2018; E, Han, Li 2019). A layer made of one step of a Runge-Kutta scheme of order p, with the weights of ' +
    'each stage taken at its time, converges like L^-p; with one weight set per layer it is only first order.',
  presets: { small, large },
  options: [
    {
      key: 'schemes',
      flag: '--schemes <list>',
      description: `layer schemes (${SCHEMES.join(', ')})`,
      parse: schemeList,
      show: showList,
    },
    {
      key: 'depths',
      flag: '--depths <list>',
      description: 'depths L',
      parse: intList({ min: 1, max: 100000 }),
      show: showList,
    },
    {
      key: 'perLayerSchemes',
      flag: '--per-layer-schemes <list>',
      description: 'schemes also run with one weight set per layer',
      parse: (raw: string) => (raw.trim() === 'none' ? [] : schemeList(raw)),
      show: (v) => ((v as string[]).length === 0 ? 'none' : showList(v)),
    },
    {
      key: 'width',
      flag: '--width <d>',
      description: 'state dimension d',
      parse: int({ min: 1, max: 1000 }),
    },
    {
      key: 'hidden',
      flag: '--hidden <m>',
      description: 'hidden width m of the block V tanh(W x)',
      parse: int({ min: 1, max: 1000 }),
    },
    {
      key: 'batch',
      flag: '--batch <n>',
      description: 'initial conditions x(0) (the error is the max over them)',
      parse: int({ min: 1, max: 100000 }),
    },
    {
      key: 'lengthscale',
      flag: '--lengthscale <x>',
      description: 'RBF lengthscale of the weight path theta(t)',
      parse: num({ min: 0, exclusiveMin: true, max: 100 }),
    },
    {
      key: 'tol',
      flag: '--tol <x>',
      description: 'rtol = atol of the dopri5 reference',
      parse: num({ min: 1e-15, max: 1e-3 }),
    },
    { key: 'seed', flag: '--seed <n>', description: 'seed of theta(t) and x(0)', parse: int({ min: 0 }) },
  ],
  validate(o) {
    const errors: string[] = [];
    if (o.schemes.length === 0 && o.perLayerSchemes.length === 0)
      errors.push('No scheme to run: --schemes is empty.');
    if (o.depths.length < 2)
      errors.push(`A slope needs at least 2 depths, got --depths ${o.depths.join(',')}.`);
    return errors;
  },
  points,
  run,
  figures,
  summarize,
};
