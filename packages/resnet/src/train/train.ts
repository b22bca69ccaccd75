/**
 * The training loop: minibatches from a seeded shuffle, one optimiser step per batch, train and
 * test metrics after every epoch, a progress bar on the terminal, and a TrainingError (with the
 * epoch, step and loss) as soon as the loss stops being finite.
 */

import { type LbfgsOptions, lbfgs } from '@resode/adjoint';
import type { Var, VarLike } from '@resode/autograd';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { createRng, fmtShape, ShapeError, type Tensor } from '@resode/tensor';
import cliProgress from 'cli-progress';
import type { Dataset, Split } from '../data/datasets.js';
import { ConfigError, checkInteger, checkNumber, TrainingError } from '../errors.js';
import { adam, type Optimizer, type Schedule } from './optimizers.js';

/** What train needs of a model. `withParameters` (a pure function of the weights) is needed by L-BFGS. */
export interface Trainable {
  forward(x: VarLike): Var;
  parameters(): Var[];
  withParameters?(params: readonly Var[]): Trainable;
}

export type LossName = 'cross-entropy' | 'mse';
export type LossFn = (output: Var, target: Tensor) => Var;

export type EpochLog = {
  /** 1-based. */
  epoch: number;
  lr: number;
  /** Mean loss over the epoch's minibatches (for L-BFGS: the loss at the end of the epoch). */
  trainLoss: number;
  trainAccuracy?: number;
  testLoss?: number;
  testAccuracy?: number;
  /** Seconds since training started. */
  seconds: number;
};

export type TrainOptions = {
  epochs: number;
  /** Default 64; batches never exceed the training set. */
  batchSize?: number;
  /** An optimiser of optimizers.ts (default adam({ lr: 0.01 })), or 'lbfgs' (full batch, @resode/adjoint). */
  optimizer?: Optimizer | 'lbfgs';
  /** L-BFGS options for each epoch (default 20 iterations an epoch). */
  lbfgs?: LbfgsOptions;
  /** Factor on the optimiser's initial learning rate at each epoch. */
  schedule?: Schedule;
  /** Default: 'cross-entropy' for classification (outputs are logits), 'mse' for regression. */
  loss?: LossName | LossFn;
  /** Seed of the minibatch shuffle (default 0). */
  seed?: number;
  /** A progress bar on stderr when it is a terminal (default true; never when not a TTY). */
  progress?: boolean;
  /** Print one line per epoch (true), or call a function with each epoch's log. Default false. */
  log?: boolean | ((log: EpochLog) => void);
  /** Rescale the gradient when its global L2 norm exceeds this. */
  clipGradNorm?: number;
  /** Stop after an epoch for which this returns true. */
  stopWhen?: (log: EpochLog) => boolean;
};

export type TrainResult = { history: EpochLog[]; last: EpochLog };

const LOSSES: Record<LossName, LossFn> = {
  'cross-entropy': (out, y) => A.crossEntropy(out, y),
  mse: (out, y) => A.mse(out, y),
};

function lossFor(opt: TrainOptions['loss'], ds: Dataset): LossFn {
  if (typeof opt === 'function') return opt;
  const name = opt ?? (ds.task === 'classification' ? 'cross-entropy' : 'mse');
  const fn = LOSSES[name];
  if (fn === undefined)
    throw new ConfigError(`loss must be 'cross-entropy', 'mse' or a function, got ${JSON.stringify(opt)}`);
  return fn;
}

/** Loss and (for classification) accuracy of the model on a whole dataset, without a tape. */
export function evaluate(
  model: Trainable,
  ds: Dataset,
  loss?: LossName | LossFn,
): { loss: number; accuracy?: number } {
  const lossFn = lossFor(loss, ds);
  return A.noGrad(() => {
    const out = model.forward(ds.x);
    const value = lossFn(out, ds.y).item();
    if (ds.task !== 'classification') return { loss: value };
    return { loss: value, accuracy: accuracy(out.value, ds.y) };
  });
}

/** The fraction of rows whose largest logit is at the label. */
export function accuracy(logits: Tensor, labels: Tensor): number {
  if (logits.rank !== 2 || logits.shape[0] !== labels.size) {
    throw new ShapeError(
      `accuracy: logits ${fmtShape(logits.shape)} need rank 2 and one row per label (${labels.size})`,
    );
  }
  const pred = T.argmax(logits, 1).values();
  const ys = labels.values();
  let hits = 0;
  for (let i = 0; i < ys.length; i++) if (pred[i] === ys[i]) hits++;
  return hits / ys.length;
}

export function train(model: Trainable, data: Split | Dataset, opts: TrainOptions): TrainResult {
  const { train: trainSet, test } = 'x' in data ? { train: data, test: undefined } : data;
  const epochs = checkInteger('train: epochs', opts.epochs, 1);
  const n = trainSet.x.shape[0]!;
  const batchSize = Math.min(n, checkInteger('train: batchSize', opts.batchSize ?? 64, 1));
  const lossFn = lossFor(opts.loss, trainSet);
  const optimizer = opts.optimizer ?? adam({ lr: 0.01 });
  const baseLr = optimizer === 'lbfgs' ? 1 : optimizer.lr;
  const clip =
    opts.clipGradNorm === undefined ? undefined : checkNumber('train: clipGradNorm', opts.clipGradNorm, true);
  const rng = createRng(checkNumber('train: seed', opts.seed ?? 0));
  const batchesPerEpoch = optimizer === 'lbfgs' ? 1 : Math.ceil(n / batchSize);
  const params = model.parameters();
  if (params.length === 0) throw new ConfigError('train: the model has no parameters');

  const bar = progressBar(opts.progress ?? true, epochs * batchesPerEpoch);
  const print = (line: string) => (bar ? bar.log(line) : console.log(line));
  const history: EpochLog[] = [];
  const start = performance.now();
  let step = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const lr = baseLr * (opts.schedule ? opts.schedule(epoch - 1) : 1);
      let trainLoss: number;
      if (optimizer === 'lbfgs') {
        trainLoss = lbfgsEpoch(model, trainSet, lossFn, opts.lbfgs, epoch, ++step);
        bar?.tick({ epoch, loss: trainLoss.toPrecision(4) });
      } else {
        optimizer.lr = lr;
        const order = T.shuffle(n, rng);
        let sum = 0;
        for (let b = 0; b < n; b += batchSize) {
          const idx = order.slice(b, b + batchSize);
          const xb = T.gather(trainSet.x, idx, 0);
          const yb = T.gather(trainSet.y, idx, 0);
          for (const p of params) p.grad = undefined;
          const loss = lossFn(model.forward(xb), yb);
          const value = loss.item();
          step++;
          if (!Number.isFinite(value)) throw new TrainingError(epoch, step, value);
          loss.backward();
          const grads = params.map((p) => p.grad?.value ?? T.zeros(p.shape));
          if (clip !== undefined) clipByNorm(grads, clip);
          if (!grads.every((g) => T.max(T.abs(g)).item() < Infinity)) {
            throw new TrainingError(epoch, step, value, 'the gradient is not finite');
          }
          optimizer.step(params, grads);
          sum += value * idx.length;
          bar?.tick({ epoch, loss: value.toPrecision(4) });
        }
        trainLoss = sum / n;
      }
      const log: EpochLog = { epoch, lr, trainLoss, seconds: (performance.now() - start) / 1000 };
      if (trainSet.task === 'classification') log.trainAccuracy = evaluate(model, trainSet, lossFn).accuracy!;
      if (test) {
        const m = evaluate(model, test, lossFn);
        log.testLoss = m.loss;
        if (m.accuracy !== undefined) log.testAccuracy = m.accuracy;
        if (!Number.isFinite(m.loss))
          throw new TrainingError(epoch, step, m.loss, 'the test loss is not finite');
      }
      history.push(log);
      if (opts.log === true) print(formatLog(log, epochs));
      else if (typeof opts.log === 'function') opts.log(log);
      if (opts.stopWhen?.(log)) break;
    }
  } finally {
    bar?.stop();
  }
  return { history, last: history.at(-1)! };
}

/** One epoch of full-batch L-BFGS on a pure function of the weights; copies the result into the model. */
function lbfgsEpoch(
  model: Trainable,
  ds: Dataset,
  lossFn: LossFn,
  o: LbfgsOptions | undefined,
  epoch: number,
  step: number,
): number {
  if (model.withParameters === undefined) {
    throw new ConfigError(
      "train: optimizer 'lbfgs' needs a model with withParameters (ResNet and NeuralODE have it)",
    );
  }
  const params = model.parameters();
  const f = (...ps: Var[]) => lossFn(model.withParameters!(ps).forward(ds.x), ds.y);
  const r = lbfgs(
    f,
    params.map((p) => p.value),
    { maxIterations: 20, ...o },
  );
  if (!Number.isFinite(r.value)) throw new TrainingError(epoch, step, r.value);
  params.forEach((p, i) => {
    p.value.data.set(r.xs[i]!.values(), p.value.offset);
  });
  return r.value;
}

function clipByNorm(grads: Tensor[], maxNorm: number): void {
  const norm = Math.sqrt(grads.reduce((s, g) => s + T.sum(T.square(g)).item(), 0));
  if (!(norm > maxNorm)) return;
  const scale = maxNorm / norm;
  for (const g of grads) {
    const v = g.values();
    for (let i = 0; i < v.length; i++) v[i]! *= scale;
  }
}

export function formatLog(log: EpochLog, epochs?: number): string {
  const parts = [
    `epoch ${String(log.epoch).padStart(epochs ? String(epochs).length : 1)}${epochs ? `/${epochs}` : ''}`,
    `loss ${log.trainLoss.toPrecision(4)}`,
  ];
  if (log.trainAccuracy !== undefined) parts.push(`acc ${(100 * log.trainAccuracy).toFixed(1)}%`);
  if (log.testLoss !== undefined) parts.push(`test loss ${log.testLoss.toPrecision(4)}`);
  if (log.testAccuracy !== undefined) parts.push(`test acc ${(100 * log.testAccuracy).toFixed(1)}%`);
  parts.push(`${log.seconds.toFixed(1)} s`);
  return parts.join('  ');
}

/**
 * A cli-progress bar on stderr, or undefined when disabled or stderr is not a terminal. cli-progress
 * redraws on a timer, which never fires while a synchronous training loop holds the event loop; so
 * we redraw ourselves, at most every 100 ms, and after each logged line.
 */
function progressBar(enabled: boolean, total: number) {
  if (!enabled || !process.stderr.isTTY) return undefined;
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: 'train |{bar}| {percentage}% | epoch {epoch} | loss {loss} | {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(total, 0, { epoch: 1, loss: '-' });
  let lastDraw = 0;
  return {
    tick(payload: { epoch: number; loss: string }) {
      bar.increment(1, payload);
      const now = Date.now();
      if (now - lastDraw >= 100) {
        multi.update();
        lastDraw = now;
      }
    },
    log(line: string) {
      multi.log(`${line}\n`);
      multi.update();
    },
    stop() {
      multi.update();
      multi.stop();
    },
  };
}
