/**
 * weights-vs-depth (Cohen, Cont, Rossier, Xu 2021; Cont, Rossier, Xu 2022): train ResNets of
 * growing depth on one task, then read the trained weights theta_k as a function of s = k/L. If
 * max_k ||theta_{k+1} - theta_k|| falls like 1/L and the quadratic variation sum_k ||theta_{k+1} -
 * theta_k||^2 vanishes, the weights converge to a smooth function (the neural ODE limit); if the
 * increments do not shrink, the weights stay rough (for alpha = L^(-1/2) that is the diffusive,
 * SDE-like regime).
 */
import { createRng } from '@resode/tensor';
import { teacherRegression, trainTestSplit } from '../../data/datasets.js';
import { ResNet } from '../../models/resnet.js';
import { adam } from '../../train/optimizers.js';
import { train } from '../../train/train.js';
import { choiceList, int, intList, num, showList } from '../options.js';
import { seedFrom } from '../seed.js';
import { SmoothPath } from '../smooth-path.js';
import type { Experiment, Point, Row } from '../types.js';
import { weightsFigures } from './figures.js';
import { depthProfile } from './measures.js';
import { summarizeWeights } from './summary.js';

export type Activation = 'tanh' | 'relu';
export type WeightsInit = 'smooth' | 'iid';

export interface WeightsVsDepthOptions {
  activations: Activation[];
  /** 'smooth': theta_k = theta(k/L), an RBF Gaussian-process path (lengthscale 0.1); 'iid': Gaussian. */
  inits: WeightsInit[];
  depths: number[];
  width: number;
  /** Samples of the teacher task (80% train, 20% test). */
  samples: number;
  teacherDepth: number;
  epochs: number;
  batch: number;
  lr: number;
  seed: number;
}

const small: WeightsVsDepthOptions = {
  activations: ['tanh', 'relu'],
  inits: ['smooth', 'iid'],
  depths: [8, 16, 32, 64],
  width: 10,
  samples: 320,
  teacherDepth: 100,
  epochs: 12,
  batch: 64,
  lr: 0.005,
  seed: 0,
};

const large: WeightsVsDepthOptions = {
  ...small,
  depths: [8, 12, 17, 25, 35, 50, 72, 103, 148, 212, 304, 437],
  samples: 1280,
  epochs: 100,
  batch: 50,
  lr: 0.001,
};

function run(point: Point): Row[] {
  const depth = point.depth as number;
  const width = point.width as number;
  const seed = seedFrom(point);
  // The task does not depend on the student: the same data for every depth and setting.
  const data = trainTestSplit(
    teacherRegression({
      n: point.samples as number,
      dim: width,
      depth: point.teacherDepth as number,
      seed: point.seed as number,
    }),
    { testFraction: 0.2, seed: point.seed as number },
  );
  const model = new ResNet({
    depth,
    width,
    beta: 1,
    activation: point.activation as Activation,
    init: 'iid',
    seed,
  });
  if (point.init === 'smooth') {
    // theta_k = theta(k/L) for ONE random smooth path per setting, shared by every depth: the
    // curves of different L in the paths figure are discretisations of the same function.
    const { depth: _depth, ...setting } = point;
    const rng = createRng(seedFrom({ smoothPath: setting }));
    const Wp = new SmoothPath(width * width, rng, { lengthscale: 0.1, scale: 1 / Math.sqrt(width) });
    const Vp = new SmoothPath(width * width, rng, { lengthscale: 0.1, scale: 1 / Math.sqrt(width) });
    model.blocks.forEach((block, k) => {
      block.W.value.data.set(Wp.at(k / depth));
      block.V?.value.data.set(Vp.at(k / depth));
    });
  }
  const before = depthProfile(model);
  const result = train(model, data, {
    epochs: point.epochs as number,
    batchSize: point.batch as number,
    optimizer: adam({ lr: point.lr as number }),
    seed: createRng(seed).nextUint32(),
    progress: false,
  });
  const after = depthProfile(model, before.weights);
  return [
    {
      ...point,
      trainLoss: result.last.trainLoss,
      testLoss: result.last.testLoss ?? null,
      maxIncrement: after.maxIncrement,
      maxNorm: after.maxNorm,
      quadVariation: after.quadVariation,
      maxIncrementAtInit: before.maxIncrement,
      quadVariationAtInit: before.quadVariation,
      changeMaxIncrement: after.changeMaxIncrement,
      changeQuadVariation: after.changeQuadVariation,
      path: after.path,
    },
  ];
}

function points(o: WeightsVsDepthOptions): Point[] {
  const out: Point[] = [];
  for (const activation of o.activations) {
    for (const init of o.inits) {
      for (const depth of o.depths) {
        const { activations: _a, inits: _i, depths: _d, ...rest } = o;
        out.push({ activation, init, depth, ...rest });
      }
    }
  }
  return out;
}

export const weightsVsDepth: Experiment<WeightsVsDepthOptions> = {
  name: 'weights-vs-depth',
  title: 'Trained weights as functions of depth',
  description:
    'train ResNets of several depths on the teacher task; scaling of weight increments and 2-variation in L',
  claim:
    'Trained ResNet weights theta_k, read as a function of s = k/L, converge as L grows either to a smooth ' +
    'function (max_k ||theta_{k+1} - theta_k|| ~ 1/L, vanishing quadratic variation: the neural ODE limit) or ' +
    'to a rough, Brownian-like path (increments ~ L^(-1/2), finite 2-variation: a diffusive, SDE limit), ' +
    'depending on the activation and above all on the initialisation (Cohen, Cont, Rossier, Xu 2021).',
  presets: { small, large },
  options: [
    {
      key: 'activations',
      flag: '--activations <list>',
      description: 'activations (tanh, relu)',
      parse: choiceList(['tanh', 'relu'] as const),
      show: showList,
    },
    {
      key: 'inits',
      flag: '--inits <list>',
      description: 'initialisations (smooth, iid)',
      parse: choiceList(['smooth', 'iid'] as const),
      show: showList,
    },
    {
      key: 'depths',
      flag: '--depths <list>',
      description: 'depths L',
      parse: intList({ min: 2, max: 10000 }),
      show: showList,
    },
    {
      key: 'width',
      flag: '--width <d>',
      description: 'width d (input and output of the teacher task)',
      parse: int({ min: 1, max: 1000 }),
    },
    {
      key: 'samples',
      flag: '--samples <n>',
      description: 'samples of the teacher task (80% train)',
      parse: int({ min: 10, max: 1000000 }),
    },
    {
      key: 'teacherDepth',
      flag: '--teacher-depth <n>',
      description: 'depth of the teacher ResNet',
      parse: int({ min: 1, max: 10000 }),
    },
    {
      key: 'epochs',
      flag: '--epochs <n>',
      description: 'training epochs',
      parse: int({ min: 1, max: 100000 }),
    },
    {
      key: 'batch',
      flag: '--batch <n>',
      description: 'minibatch size',
      parse: int({ min: 1, max: 1000000 }),
    },
    {
      key: 'lr',
      flag: '--lr <x>',
      description: 'Adam learning rate (not scaled with L)',
      parse: num({ min: 0, exclusiveMin: true, max: 10 }),
    },
    {
      key: 'seed',
      flag: '--seed <n>',
      description: 'seed of the task and the initialisations',
      parse: int({ min: 0 }),
    },
  ],
  validate(o) {
    return o.depths.length < 2
      ? [`A scaling exponent needs at least 2 depths, got --depths ${o.depths.join(',')}.`]
      : [];
  },
  points,
  run,
  figures: weightsFigures,
  summarize: summarizeWeights,
};
