/**
 * The two training steps of the demo: a neural ODE and a ResNet classifying two spirals. Each
 * returns its training history, a few numbers, and its figures (decision regions, curves).
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { loadDataset, type Split } from '../../data/datasets.js';
import { curves, decisionRegions } from '../../experiments/figures/charts.js';
import type { Figure } from '../../experiments/types.js';
import { NeuralODE } from '../../models/neural-ode.js';
import { ResNet } from '../../models/resnet.js';
import { adam, sgd } from '../../train/optimizers.js';
import { type EpochLog, train } from '../../train/train.js';

export interface ClassifierRun {
  name: string;
  history: EpochLog[];
  numbers: Record<string, number>;
  figures: Figure[];
  /** Notes on how it ran (e.g. which gradient strategy). */
  notes: string[];
}

export interface ClassifierSettings {
  epochs: number;
  samples: number;
  progress: boolean;
}

/** Two spirals of two turns each: a classic that a linear model cannot touch. */
export const spiralData = (samples: number): Split =>
  loadDataset('spirals', { n: samples, seed: 0, turns: 2 });

interface Classifier {
  forward(x: A.VarLike): A.Var;
}

function regionsFigure(name: string, title: string, model: Classifier, data: Split): Figure {
  const n = 32;
  const lo = -1.15;
  const step = (2 * -lo) / n;
  const centres = Array.from({ length: n }, (_, i) => lo + (i + 0.5) * step);
  const grid = centres.flatMap((y) => centres.map((x) => [x, y]));
  const logits = A.noGrad(() => model.forward(T.tensor(grid))).value;
  // Two logits: P(class 1) = softmax(l)_1 = 1 / (1 + exp(l_0 - l_1)).
  const prob = (logits.toArray() as number[][]).map(([a, b]) => 1 / (1 + Math.exp(a - b)));
  const xs = data.test.x.toArray() as number[][];
  const ys = data.test.y.values();
  return {
    name,
    title,
    spec: decisionRegions({
      title,
      grid: grid.map(([x, y], i) => ({ x, y, p: prob[i] })),
      dx: step,
      dy: step,
      points: xs.map(([x, y], i) => ({ x, y, label: `class ${ys[i]}` })),
    }),
  };
}

function curvesFigure(name: string, title: string, history: EpochLog[]): Figure {
  const points = history.flatMap((h) => [
    { x: h.epoch, y: h.trainLoss, series: 'train loss' },
    ...(h.testLoss === undefined ? [] : [{ x: h.epoch, y: h.testLoss, series: 'test loss' }]),
    ...(h.testAccuracy === undefined
      ? []
      : [{ x: h.epoch, y: 1 - h.testAccuracy + 1e-3, series: 'test error rate + 0.001' }]),
  ]);
  return {
    name,
    title,
    spec: curves({
      title,
      xTitle: 'epoch',
      yTitle: 'cross-entropy / error rate',
      seriesTitle: 'curve',
      points,
    }),
  };
}

export function trainNeuralOde(s: ClassifierSettings): ClassifierRun {
  const data = spiralData(s.samples);
  // h(0) = embed(x) in R^8, dh/dt = V tanh(W h + b) + c, logits = readout(h(1)); gradients by the
  // continuous adjoint (O(1) memory in the solver steps), dopri5 at rtol = atol = 1e-3 as Chen et al.
  const model = new NeuralODE({
    width: 8,
    inputDim: 2,
    outputDim: 2,
    field: { hidden: 32 },
    gradient: 'adjoint',
    seed: 0,
  });
  const { history } = train(model, data, {
    epochs: s.epochs,
    batchSize: 64,
    optimizer: adam({ lr: 0.02 }),
    progress: s.progress,
  });
  const last = history[history.length - 1];
  const st = model.stats;
  const steps = Math.ceil(data.train.x.shape[0] / 64) * history.length;
  return {
    name: 'neural-ode',
    history,
    numbers: {
      testAccuracy: last.testAccuracy ?? Number.NaN,
      epochs: history.length,
      seconds: last.seconds,
      nfeForwardPerStep: st.nfeForward / steps,
      nfeBackwardPerStep: st.nfeBackward / steps,
      peakStoredStates: st.peakStoredStates,
    },
    figures: [
      regionsFigure(
        'demo-neural-ode-regions',
        'Neural ODE (adjoint gradients): decision regions on two spirals',
        model,
        data,
      ),
      curvesFigure(
        'demo-neural-ode-curves',
        'Neural ODE training (Adam, gradients by the continuous adjoint)',
        history,
      ),
    ],
    notes: ["gradients by the continuous adjoint method (@resode/adjoint, NeuralODE gradient: 'adjoint')"],
  };
}

export function trainResNet(s: ClassifierSettings): ClassifierRun {
  const data = spiralData(s.samples);
  // 16 layers h <- h + 16^(-1/2) V tanh(W h + b): the critical scaling of i.i.d. weights.
  const model = new ResNet({
    depth: 16,
    width: 16,
    inputDim: 2,
    outputDim: 2,
    activation: 'tanh',
    beta: 0.5,
    block: 'vswb',
    seed: 0,
  });
  const { history } = train(model, data, {
    epochs: s.epochs,
    batchSize: 32,
    optimizer: sgd({ lr: 0.05, momentum: 0.9 }),
    progress: s.progress,
  });
  const last = history[history.length - 1];
  return {
    name: 'resnet',
    history,
    numbers: { testAccuracy: last.testAccuracy ?? Number.NaN, epochs: history.length, seconds: last.seconds },
    figures: [
      regionsFigure('demo-resnet-regions', 'ResNet (SGD): decision regions on two spirals', model, data),
      curvesFigure('demo-resnet-curves', 'ResNet training (SGD with momentum, backprop)', history),
    ],
    notes: ['gradients by backprop through the 16 layers'],
  };
}
