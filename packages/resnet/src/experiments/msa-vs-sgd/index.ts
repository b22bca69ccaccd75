/**
 * msa-vs-sgd: training curves of one ResNet trained by backprop with SGD (momentum) and Adam, and
 * by the method of successive approximations of Li, Chen, Tai, E (2018), basic (MSA) and extended
 * (E-MSA), which read training as optimal control: forward states, backward costates, then each
 * layer's weights maximise its (augmented) Hamiltonian. Every method takes one full-batch update
 * per iteration from the same initial weights; the curves compare loss per iteration and per second.
 */

import { type Controls, evaluateCost, msa, type ResidualControlProblem } from '@resode/adjoint';
import * as A from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { type Dataset, teacherRegression, trainTestSplit } from '../../data/datasets.js';
import { ResNet } from '../../models/resnet.js';
import { adam, sgd } from '../../train/optimizers.js';
import { train } from '../../train/train.js';
import { curves } from '../figures/charts.js';
import { choiceList, int, num, showList } from '../options.js';
import { seedFrom } from '../seed.js';
import type { Experiment, Figure, Point, Row, StoredRow, Summary } from '../types.js';

export const METHODS = ['sgd', 'adam', 'msa', 'emsa'] as const;
export type Method = (typeof METHODS)[number];

export interface MsaVsSgdOptions {
  methods: Method[];
  depth: number;
  width: number;
  samples: number;
  iterations: number;
  sgdLr: number;
  adamLr: number;
  /** The penalty rho of E-MSA. */
  rho: number;
  /** L-BFGS iterations per layer and MSA iteration (the Hamiltonian maximisation). */
  hamiltonianSteps: number;
  seed: number;
}

const small: MsaVsSgdOptions = {
  methods: ['sgd', 'adam', 'msa', 'emsa'],
  depth: 8,
  width: 4,
  samples: 200,
  iterations: 30,
  sgdLr: 0.5,
  adamLr: 0.02,
  rho: 10,
  hamiltonianSteps: 4,
  seed: 0,
};

const large: MsaVsSgdOptions = { ...small, depth: 32, width: 10, samples: 1280, iterations: 200 };

interface Setup {
  model: ResNet;
  train: Dataset;
  test: Dataset;
}

function setup(point: Point): Setup {
  const data = trainTestSplit(
    teacherRegression({ n: point.samples as number, dim: point.width as number, seed: point.seed as number }),
    { testFraction: 0.2, seed: point.seed as number },
  );
  // The same initial network for every method and optimiser setting.
  const model = new ResNet({
    depth: point.depth as number,
    width: point.width as number,
    beta: 1,
    activation: 'tanh',
    seed: seedFrom({ depth: point.depth, width: point.width, samples: point.samples, seed: point.seed }),
  });
  return { model, train: data.train, test: data.test };
}

/** The ResNet as a control problem: x_{k+1} = x_k + (1/L) V_k tanh(W_k x_k), loss = MSE(x_L, y). */
function controlProblem(model: ResNet, y: Tensor): ResidualControlProblem {
  return {
    alpha: model.alpha,
    field: (x, [W, V]) => A.matmul(A.tanh(A.matmul(x, A.transpose(W))), A.transpose(V)),
    terminalLoss: (xL) => A.mse(xL, y),
  };
}

function runBackprop(point: Point, s: Setup): Row[] {
  const rows: Row[] = [];
  const n = s.train.x.shape[0];
  const optimizer =
    point.method === 'sgd'
      ? sgd({ lr: point.sgdLr as number, momentum: 0.9 })
      : adam({ lr: point.adamLr as number });
  train(s.model, s, {
    epochs: point.iterations as number,
    batchSize: n,
    optimizer,
    loss: 'mse',
    progress: false,
    log: (log) => {
      rows.push({
        ...point,
        iteration: log.epoch - 1,
        trainLoss: log.trainLoss,
        testLoss: log.testLoss ?? null,
        seconds: log.seconds,
      });
    },
  });
  return rows;
}

function runMsa(point: Point, s: Setup): Row[] {
  const problem = controlProblem(s.model, s.train.y);
  const testProblem = controlProblem(s.model, s.test.y);
  let controls: Controls = s.model.blocks.map((b) => b.params.map((p) => p.value));
  const rows: Row[] = [];
  const start = performance.now();
  for (let it = 0; it < (point.iterations as number); it++) {
    // One iteration at a time (MSA keeps no state between iterations), to log the test loss.
    const r = msa(problem, s.train.x, controls, {
      iterations: 1,
      rho: point.method === 'emsa' ? (point.rho as number) : 0,
      maximizer: { method: 'lbfgs', maxIterations: point.hamiltonianSteps as number },
    });
    controls = r.controls;
    const testLoss = evaluateCost(testProblem, s.test.x, controls);
    rows.push({
      ...point,
      iteration: it,
      trainLoss: r.costs[0],
      testLoss: Number.isFinite(testLoss) ? testLoss : null,
      seconds: (performance.now() - start) / 1000,
    });
    if (!Number.isFinite(r.costs[1])) break;
  }
  return rows;
}

function run(point: Point): Row[] {
  const s = setup(point);
  return point.method === 'sgd' || point.method === 'adam' ? runBackprop(point, s) : runMsa(point, s);
}

function points(o: MsaVsSgdOptions): Point[] {
  const { methods, ...rest } = o;
  return methods.map((method) => ({ method, ...rest }));
}

const LABELS: Record<string, string> = {
  sgd: 'SGD (momentum 0.9), backprop',
  adam: 'Adam, backprop',
  msa: 'MSA (basic)',
  emsa: 'E-MSA (extended)',
};

function summarize(rows: readonly StoredRow[]): Summary {
  const numbers: Record<string, number> = {};
  const lines: string[] = [];
  for (const method of METHODS) {
    const rs = rows
      .filter((r) => r.method === method)
      .sort((a, b) => (a.iteration as number) - (b.iteration as number));
    if (rs.length === 0) continue;
    const first = rs[0].trainLoss as number;
    const last = rs[rs.length - 1];
    const perIt = (last.seconds as number) / rs.length;
    numbers[`${method}.finalTrainLoss`] = last.trainLoss as number;
    if (typeof last.testLoss === 'number') numbers[`${method}.finalTestLoss`] = last.testLoss;
    numbers[`${method}.secondsPerIteration`] = perIt;
    lines.push(
      `${LABELS[method]}: train loss ${first.toExponential(2)} -> ${(last.trainLoss as number).toExponential(2)} ` +
        `in ${rs.length} iterations, test ${typeof last.testLoss === 'number' ? last.testLoss.toExponential(2) : 'n/a'}, ` +
        `${(perIt * 1000).toFixed(0)} ms per iteration`,
    );
  }
  return { lines, numbers };
}

function figures(rows: readonly StoredRow[]): Figure[] {
  if (rows.length === 0) return [];
  const label = (r: StoredRow) => LABELS[r.method as string] ?? String(r.method);
  const { depth, width } = rows[0];
  // Basic MSA can diverge to huge losses: keep the axis on the range where the others live.
  const losses = rows.map((r) => r.trainLoss as number).filter((v) => Number.isFinite(v) && v > 0);
  const start = Math.max(...rows.filter((r) => r.iteration === 0).map((r) => r.trainLoss as number));
  const yDomain: [number, number] = [Math.min(...losses) / 2, 100 * start];
  return [
    {
      name: 'msa-vs-sgd',
      title: 'Training curves: backprop optimisers and the method of successive approximations',
      spec: curves({
        title: `Training loss per iteration (ResNet L = ${depth}, d = ${width}, teacher task, full batch)`,
        xTitle: 'iteration',
        yTitle: 'train MSE (before the update)',
        seriesTitle: 'method',
        yDomain,
        points: rows.map((r) => ({ x: r.iteration as number, y: r.trainLoss as number, series: label(r) })),
      }),
    },
    {
      name: 'msa-vs-sgd-time',
      title: 'Training curves against wall-clock time',
      spec: curves({
        title: 'Training loss against seconds (measured on this run)',
        xTitle: 'seconds',
        yTitle: 'train MSE',
        seriesTitle: 'method',
        yDomain,
        points: rows.map((r) => ({ x: r.seconds as number, y: r.trainLoss as number, series: label(r) })),
      }),
    },
  ];
}

export const msaVsSgd: Experiment<MsaVsSgdOptions> = {
  name: 'msa-vs-sgd',
  title: 'Training as optimal control: MSA against SGD and Adam',
  description: 'training curves of backprop SGD and Adam against basic and extended MSA on one ResNet',
  claim:
    "Training a ResNet is a discrete optimal control problem; Pontryagin's maximum principle gives the " +
    'method of successive approximations: forward states, backward costates, then per-layer maximisation of ' +
    'the Hamiltonian. Basic MSA can diverge; the extended MSA penalises breaking the state and costate ' +
    'equations and decreases the loss, with fast progress per iteration but costlier iterations ' +
    '(Li, Chen, Tai, E 2018). The rows carry measured seconds, the only field that differs between runs.',
  presets: { small, large },
  options: [
    {
      key: 'methods',
      flag: '--methods <list>',
      description: `methods (${METHODS.join(', ')})`,
      parse: choiceList(METHODS),
      show: showList,
    },
    {
      key: 'depth',
      flag: '--depth <L>',
      description: 'depth L (alpha = 1/L)',
      parse: int({ min: 1, max: 10000 }),
    },
    {
      key: 'width',
      flag: '--width <d>',
      description: 'width d of the teacher task',
      parse: int({ min: 1, max: 1000 }),
    },
    {
      key: 'samples',
      flag: '--samples <n>',
      description: 'samples (80% train)',
      parse: int({ min: 10, max: 1000000 }),
    },
    {
      key: 'iterations',
      flag: '--iterations <n>',
      description: 'full-batch updates per method',
      parse: int({ min: 1, max: 100000 }),
    },
    {
      key: 'sgdLr',
      flag: '--sgd-lr <x>',
      description: 'SGD learning rate',
      parse: num({ min: 0, exclusiveMin: true, max: 100 }),
    },
    {
      key: 'adamLr',
      flag: '--adam-lr <x>',
      description: 'Adam learning rate',
      parse: num({ min: 0, exclusiveMin: true, max: 10 }),
    },
    {
      key: 'rho',
      flag: '--rho <x>',
      description: 'E-MSA penalty rho',
      parse: num({ min: 0, exclusiveMin: true, max: 1e6 }),
    },
    {
      key: 'hamiltonianSteps',
      flag: '--hamiltonian-steps <n>',
      description: 'L-BFGS iterations per layer maximising the Hamiltonian',
      parse: int({ min: 1, max: 1000 }),
    },
    {
      key: 'seed',
      flag: '--seed <n>',
      description: 'seed of the task and the initial network',
      parse: int({ min: 0 }),
    },
  ],
  validate: () => [],
  points,
  run,
  figures,
  summarize,
};
