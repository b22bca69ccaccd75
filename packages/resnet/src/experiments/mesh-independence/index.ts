/**
 * mesh-independence: SGD over the control theta(.) of the neural ODE dx/dt = V(t) tanh(W(t) x),
 * discretised as a ResNet of L layers with theta piecewise constant on L cells. In the L^2 metric
 * the step is theta_k <- theta_k - eta L dJ/dtheta_k (DESIGN.md, "SGD with infinitely many
 * layers"; @resode/adjoint functionSpaceSgd), and the training curves of L = 16, 64, 256 should
 * agree: the algorithm has a limit as the mesh is refined. The Euclidean step theta_k <- theta_k -
 * eta dJ/dtheta_k is L times smaller on each cell and training slows down as L grows.
 */

import { type ContinuousControlProblem, functionSpaceSgd, piecewiseConstant } from '@resode/adjoint';
import * as A from '@resode/autograd';
import { createRng, Tensor } from '@resode/tensor';
import { teacherRegression } from '../../data/datasets.js';
import { curves } from '../figures/charts.js';
import { choiceList, int, intList, num, showList } from '../options.js';
import { seedFrom } from '../seed.js';
import { SmoothPath } from '../smooth-path.js';
import type { Experiment, Figure, Point, Row, StoredRow, Summary } from '../types.js';

export const METRICS = ['L2', 'euclidean'] as const;
export type Metric = (typeof METRICS)[number];

export interface MeshIndependenceOptions {
  depths: number[];
  metrics: Metric[];
  width: number;
  samples: number;
  steps: number;
  lr: number;
  seed: number;
}

const small: MeshIndependenceOptions = {
  depths: [16, 64, 256],
  metrics: ['L2', 'euclidean'],
  width: 4,
  samples: 64,
  steps: 40,
  lr: 0.5,
  seed: 0,
};

const large: MeshIndependenceOptions = {
  ...small,
  depths: [8, 16, 32, 64, 128, 256, 512, 1024],
  samples: 256,
  steps: 200,
};

function run(point: Point): Row[] {
  const d = point.width as number;
  const data = teacherRegression({ n: point.samples as number, dim: d, seed: point.seed as number });
  // One initial control function theta_0(t) for every mesh: a smooth random path (not seeded by L).
  const rng = createRng(seedFrom({ width: d, seed: point.seed }));
  const Wp = new SmoothPath(d * d, rng, { lengthscale: 0.3, scale: 1 / Math.sqrt(d) });
  const Vp = new SmoothPath(d * d, rng, { lengthscale: 0.3, scale: 1 / Math.sqrt(d) });
  const theta0 = (t: number) => [Tensor.view(Wp.at(t), [d, d]), Tensor.view(Vp.at(t), [d, d])];
  const problem: ContinuousControlProblem = {
    field: (x, [W, V]) => A.matmul(A.tanh(A.matmul(x, A.transpose(W))), A.transpose(V)),
    terminalLoss: (xT) => A.mse(xT, data.y),
  };
  const result = functionSpaceSgd(problem, data.x, piecewiseConstant(theta0, point.depth as number), {
    learningRate: point.lr as number,
    steps: point.steps as number,
    metric: point.metric as Metric,
  });
  return result.costs.map((cost, step) => ({ ...point, step, cost }));
}

function points(o: MeshIndependenceOptions): Point[] {
  const { depths, metrics, ...rest } = o;
  return metrics.flatMap((metric) => depths.map((depth) => ({ metric, depth, ...rest })));
}

/** Largest relative gap between the cost curves of the coarsest and finest meshes of one metric. */
export function curveGap(
  rows: readonly StoredRow[],
  metric: string,
): { gap: number; coarse: number; fine: number } | null {
  const mine = rows.filter((r) => r.metric === metric);
  const depths = [...new Set(mine.map((r) => r.depth as number))].sort((a, b) => a - b);
  if (depths.length < 2) return null;
  const curve = (L: number) =>
    mine.filter((r) => r.depth === L).sort((a, b) => (a.step as number) - (b.step as number));
  const coarse = curve(depths[0]);
  const fine = curve(depths[depths.length - 1]);
  let gap = 0;
  for (let i = 0; i < Math.min(coarse.length, fine.length); i++) {
    const a = coarse[i].cost as number;
    const b = fine[i].cost as number;
    gap = Math.max(gap, Math.abs(a - b) / b);
  }
  return { gap, coarse: depths[0], fine: depths[depths.length - 1] };
}

function summarize(rows: readonly StoredRow[]): Summary {
  const numbers: Record<string, number> = {};
  const lines: string[] = [];
  for (const metric of METRICS) {
    const g = curveGap(rows, metric);
    if (!g) continue;
    numbers[`${metric}.maxRelativeGap`] = g.gap;
    const finals = rows
      .filter((r) => r.metric === metric)
      .reduce<Record<number, number>>((acc, r) => {
        acc[r.depth as number] = r.cost as number;
        return acc;
      }, {});
    const ends = Object.entries(finals)
      .map(([L, c]) => `L = ${L}: ${c.toExponential(2)}`)
      .join(', ');
    lines.push(
      `${metric} metric: final cost ${ends}; the curves of L = ${g.coarse} and L = ${g.fine} differ by at most ` +
        `${(100 * g.gap).toFixed(1)}%${metric === 'L2' ? ' (mesh independent)' : ' (slower as L grows)'}`,
    );
  }
  return { lines, numbers };
}

function figures(rows: readonly StoredRow[]): Figure[] {
  if (rows.length === 0) return [];
  const series = (r: StoredRow) => `${r.metric === 'L2' ? 'L^2' : 'Euclidean'} step, L = ${r.depth}`;
  const dashes = Object.fromEntries(
    rows.map((r) => [series(r), r.metric === 'L2' ? 'L^2 metric' : 'Euclidean metric']),
  );
  return [
    {
      name: 'mesh-independence',
      title: 'Function-space SGD is mesh independent',
      spec: curves({
        title: 'Training cost of the control theta(t) on meshes of L cells (full-batch gradient steps)',
        xTitle: 'step',
        yTitle: 'cost J (MSE at x(1))',
        seriesTitle: 'step and mesh',
        points: rows.map((r) => ({ x: r.step as number, y: r.cost as number, series: series(r) })),
        dashTitle: 'metric',
        dashes,
      }),
    },
  ];
}

export const meshIndependence: Experiment<MeshIndependenceOptions> = {
  name: 'mesh-independence',
  title: 'SGD with infinitely many layers',
  description: 'function-space SGD on the controls theta(t) at several depths L: L^2 vs Euclidean step',
  claim:
    'Training the control theta(.) in L^2([0, 1]) with the gradient g(t) = a(t)^T df/dtheta, discretised on ' +
    'L cells as theta_k <- theta_k - eta L dJ/dtheta_k, has a limit as L grows: the training curves of ' +
    'L = 16, 64, 256 agree. The plain Euclidean step on the same parameters shrinks like 1/L and training ' +
    'slows down with depth.',
  presets: { small, large },
  options: [
    {
      key: 'depths',
      flag: '--depths <list>',
      description: 'mesh sizes L (layers)',
      parse: intList({ min: 1, max: 100000 }),
      show: showList,
    },
    {
      key: 'metrics',
      flag: '--metrics <list>',
      description: 'gradient step metric (L2, euclidean)',
      parse: choiceList(METRICS),
      show: showList,
    },
    {
      key: 'width',
      flag: '--width <d>',
      description: 'state dimension d',
      parse: int({ min: 1, max: 1000 }),
    },
    {
      key: 'samples',
      flag: '--samples <n>',
      description: 'samples of the teacher task (the full batch)',
      parse: int({ min: 1, max: 1000000 }),
    },
    { key: 'steps', flag: '--steps <n>', description: 'gradient steps', parse: int({ min: 1, max: 100000 }) },
    {
      key: 'lr',
      flag: '--lr <x>',
      description: 'learning rate eta',
      parse: num({ min: 0, exclusiveMin: true, max: 1000 }),
    },
    {
      key: 'seed',
      flag: '--seed <n>',
      description: 'seed of the task and theta_0(t)',
      parse: int({ min: 0 }),
    },
  ],
  validate(o) {
    return o.depths.length < 2
      ? [`Comparing meshes needs at least 2 depths, got --depths ${o.depths.join(',')}.`]
      : [];
  },
  points,
  run,
  figures,
  summarize,
};
