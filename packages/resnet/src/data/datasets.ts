/**
 * Small seeded datasets: the 2-D classification benchmarks of the neural-ODE literature (two moons,
 * concentric circles, two spirals, Gaussian blobs) and the teacher-ResNet regression task of Cohen,
 * Cont, Rossier, Xu (2021). Every generator is deterministic in its seed.
 *
 * MNIST: no npm package in this project's registry lists ships the digits for offline use, so
 * resode has no MNIST loader (docs/resnet.md).
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { createRng, type Tensor } from '@resode/tensor';
import { ConfigError, checkInteger, checkNumber } from '../errors.js';
import { ResNet } from '../models/resnet.js';

export type Task = 'classification' | 'regression';

export type Dataset = {
  name: string;
  task: Task;
  /** Inputs [n, inputDim]. */
  x: Tensor;
  /** Classification: class indices [n] (stored as float64). Regression: targets [n, outputDim]. */
  y: Tensor;
  /** Classification only. */
  numClasses?: number;
};

export type Split = { train: Dataset; test: Dataset };

type Common = { n?: number; noise?: number; seed?: number };

function common(name: string, o: Common, defaults: { n: number; noise: number }) {
  return {
    n: checkInteger(`${name}: n`, o.n ?? defaults.n, 2),
    noise: checkNumber(`${name}: noise`, o.noise ?? defaults.noise),
    rng: createRng(checkNumber(`${name}: seed`, o.seed ?? 0)),
  };
}

function classification(name: string, xs: number[], labels: number[], numClasses: number): Dataset {
  const n = labels.length;
  return {
    name,
    task: 'classification',
    x: T.Tensor.view(Float64Array.from(xs), [n, xs.length / n]),
    y: T.Tensor.view(Float64Array.from(labels), [n]),
    numClasses,
  };
}

/** Two interleaving half circles (as scikit-learn's make_moons), with Gaussian noise. */
export function twoMoons(o: Common = {}): Dataset {
  const { n, noise, rng } = common('twoMoons', o, { n: 512, noise: 0.1 });
  const xs: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const a = Math.PI * rng.uniform();
    const [px, py] = c === 0 ? [Math.cos(a), Math.sin(a)] : [1 - Math.cos(a), 0.5 - Math.sin(a)];
    xs.push(px + noise * rng.normal(), py + noise * rng.normal());
    labels.push(c);
  }
  return classification('two-moons', xs, labels, 2);
}

/** Two concentric circles of radii 1 and `factor`. */
export function circles(o: Common & { factor?: number } = {}): Dataset {
  const { n, noise, rng } = common('circles', o, { n: 512, noise: 0.05 });
  const factor = checkNumber('circles: factor', o.factor ?? 0.5, true);
  const xs: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const a = 2 * Math.PI * rng.uniform();
    const r = c === 0 ? 1 : factor;
    xs.push(r * Math.cos(a) + noise * rng.normal(), r * Math.sin(a) + noise * rng.normal());
    labels.push(c);
  }
  return classification('circles', xs, labels, 2);
}

/**
 * Two interleaved spirals: class c is r (cos phi, sin phi) with r = t, phi = 2 pi turns t + c pi,
 * t uniform in [0.15, 1] (the centre, where the arms meet, is left out).
 */
export function spirals(o: Common & { turns?: number } = {}): Dataset {
  const { n, noise, rng } = common('spirals', o, { n: 512, noise: 0.02 });
  const turns = checkNumber('spirals: turns', o.turns ?? 1, true);
  const xs: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = 0.15 + 0.85 * rng.uniform();
    const phi = 2 * Math.PI * turns * t + c * Math.PI;
    xs.push(t * Math.cos(phi) + noise * rng.normal(), t * Math.sin(phi) + noise * rng.normal());
    labels.push(c);
  }
  return classification('spirals', xs, labels, 2);
}

/** `classes` Gaussian clusters of unit variance in R^dim, centres N(0, spread^2 I). */
export function blobs(o: Common & { classes?: number; dim?: number; spread?: number } = {}): Dataset {
  const { n, noise, rng } = common('blobs', o, { n: 512, noise: 1 });
  const classes = checkInteger('blobs: classes', o.classes ?? 3, 2);
  const dim = checkInteger('blobs: dim', o.dim ?? 2, 1);
  const spread = checkNumber('blobs: spread', o.spread ?? 3, true);
  const centres = Array.from({ length: classes }, () =>
    Array.from({ length: dim }, () => spread * rng.normal()),
  );
  const xs: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    for (let j = 0; j < dim; j++) xs.push(centres[c]![j]! + noise * rng.normal());
    labels.push(c);
  }
  return classification('blobs', xs, labels, classes);
}

/**
 * The regression task of Cohen, Cont, Rossier, Xu (2021): x uniform in [-1, 1]^dim, y = T(x) + noise
 * for a fixed teacher ResNet T of `depth` tanh layers (block V tanh(W h), smooth weights in depth,
 * alpha = 1/depth, seeded by teacherSeed). x and y are each divided by their root-mean-square row
 * norm, so that rows have norm about 1 (their code normalises each row instead, which makes y not
 * a function of x).
 */
export function teacherRegression(
  o: Common & { dim?: number; depth?: number; teacherSeed?: number } = {},
): Dataset {
  const { n, noise, rng } = common('teacherRegression', o, { n: 1280, noise: 0 });
  const dim = checkInteger('teacherRegression: dim', o.dim ?? 10, 1);
  const depth = checkInteger('teacherRegression: depth', o.depth ?? 100, 1);
  const teacher = new ResNet({
    depth,
    width: dim,
    activation: 'tanh',
    init: 'smooth',
    beta: 1,
    seed: checkNumber('teacherRegression: teacherSeed', o.teacherSeed ?? 1234),
  });
  const x = T.rand([n, dim], rng, -1, 1);
  let y = A.noGrad(() => teacher.forward(x)).value;
  if (noise > 0) y = T.add(y, T.mul(T.randn([n, dim], rng), noise));
  return { name: 'teacher-regression', task: 'regression', x: rmsNormalise(x), y: rmsNormalise(y) };
}

function rmsNormalise(t: Tensor): Tensor {
  const rms = Math.sqrt(T.sum(T.square(t)).item() / t.shape[0]!);
  return T.div(t, rms);
}

/** The rows `indices` of a dataset. */
export function subset(ds: Dataset, indices: readonly number[]): Dataset {
  return { ...ds, x: T.gather(ds.x, indices, 0), y: T.gather(ds.y, indices, 0) };
}

/** A seeded random split: round(testFraction n) rows go to test. */
export function trainTestSplit(ds: Dataset, o: { testFraction?: number; seed?: number } = {}): Split {
  const testFraction = checkNumber('trainTestSplit: testFraction', o.testFraction ?? 0.2);
  if (testFraction <= 0 || testFraction >= 1) {
    throw new ConfigError(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  }
  const n = ds.x.shape[0]!;
  const order = T.shuffle(n, createRng(o.seed ?? 0));
  const nTest = Math.round(testFraction * n);
  return { train: subset(ds, order.slice(nTest)), test: subset(ds, order.slice(0, nTest)) };
}

export const DATASETS = {
  'two-moons': twoMoons,
  circles,
  spirals,
  blobs,
  'teacher-regression': teacherRegression,
} as const;
export type DatasetName = keyof typeof DATASETS;

/** A dataset by name, split into train and test (by default 80% / 20%). */
export function loadDataset(
  name: DatasetName,
  o: Common & { testFraction?: number; [option: string]: unknown } = {},
): Split {
  const make = DATASETS[name] as ((o: object) => Dataset) | undefined;
  if (make === undefined) {
    throw new ConfigError(
      `unknown dataset ${JSON.stringify(name)}: expected one of ${Object.keys(DATASETS)
        .map((k) => `'${k}'`)
        .join(', ')}`,
    );
  }
  return trainTestSplit(make(o), { testFraction: o.testFraction ?? 0.2, seed: (o.seed ?? 0) + 1 });
}

/** Every generator under one name (DESIGN.md's `datasets`). */
export const datasets = {
  twoMoons,
  circles,
  spirals,
  blobs,
  teacherRegression,
  load: loadDataset,
  split: trainTestSplit,
  subset,
} as const;
