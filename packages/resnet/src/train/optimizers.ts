/**
 * First-order optimisers. They update the parameters' tensors in place (after the backward pass,
 * when no tape refers to them any more), keeping per-parameter state in a Map.
 *
 *   SGD with momentum (PyTorch's form):  v <- mu v + g;  theta <- theta - lr v
 *                                         (Nesterov: theta <- theta - lr (g + mu v))
 *   Adam (Kingma and Ba 2015, Algorithm 1):
 *     m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
 *     theta <- theta - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * Weight decay adds wd * theta to g (L2 regularisation, as torch.optim does without the W suffix).
 */
import type { Var } from '@resode/autograd';
import { fmtShape, ShapeError, type Tensor } from '@resode/tensor';
import { ConfigError, checkNumber } from '../errors.js';

export interface Optimizer {
  readonly name: string;
  /** The learning rate of the next step (schedules set it). */
  lr: number;
  /** One update of every parameter from its gradient (same order and shapes). */
  step(params: readonly Var[], grads: readonly (Var | Tensor)[]): void;
}

/** The parameter's storage, which the update overwrites. */
function storage(p: Var): Float64Array {
  const t = p.value;
  if (!t.isContiguous)
    throw new ConfigError(`optimiser: parameter of shape ${fmtShape(t.shape)} is not contiguous`);
  return t.data.subarray(t.offset, t.offset + t.size);
}

function gradValues(g: Var | Tensor, p: Var): Float64Array {
  const t = 'value' in g ? g.value : g;
  if (t.size !== p.size) {
    throw new ShapeError(
      `optimiser: gradient of shape ${fmtShape(t.shape)} for a parameter of shape ${fmtShape(p.shape)}`,
    );
  }
  return t.values();
}

function checkPairs(params: readonly Var[], grads: readonly unknown[]): void {
  if (params.length !== grads.length) {
    throw new ShapeError(`optimiser: ${params.length} parameters but ${grads.length} gradients`);
  }
}

export type SgdOptions = { lr: number; momentum?: number; nesterov?: boolean; weightDecay?: number };

export function sgd(o: SgdOptions): Optimizer {
  const momentum = checkNumber('sgd: momentum', o.momentum ?? 0);
  const wd = checkNumber('sgd: weightDecay', o.weightDecay ?? 0);
  const nesterov = o.nesterov ?? false;
  const velocity = new Map<Var, Float64Array>();
  return {
    name: 'sgd',
    lr: checkNumber('sgd: lr', o.lr, true),
    step(params, grads) {
      checkPairs(params, grads);
      params.forEach((p, i) => {
        const x = storage(p);
        const g = gradValues(grads[i]!, p);
        let v = velocity.get(p);
        if (momentum !== 0 && v === undefined) velocity.set(p, (v = new Float64Array(x.length)));
        for (let j = 0; j < x.length; j++) {
          let gj = g[j]! + wd * x[j]!;
          if (v !== undefined) {
            v[j] = momentum * v[j]! + gj;
            gj = nesterov ? gj + momentum * v[j]! : v[j]!;
          }
          x[j] = x[j]! - this.lr * gj;
        }
      });
    },
  };
}

export type AdamOptions = { lr?: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number };

export function adam(o: AdamOptions = {}): Optimizer {
  const b1 = checkNumber('adam: beta1', o.beta1 ?? 0.9);
  const b2 = checkNumber('adam: beta2', o.beta2 ?? 0.999);
  const eps = checkNumber('adam: eps', o.eps ?? 1e-8, true);
  const wd = checkNumber('adam: weightDecay', o.weightDecay ?? 0);
  const state = new Map<Var, { m: Float64Array; v: Float64Array; t: number }>();
  return {
    name: 'adam',
    lr: checkNumber('adam: lr', o.lr ?? 1e-3, true),
    step(params, grads) {
      checkPairs(params, grads);
      params.forEach((p, i) => {
        const x = storage(p);
        const g = gradValues(grads[i]!, p);
        let s = state.get(p);
        if (s === undefined)
          state.set(p, (s = { m: new Float64Array(x.length), v: new Float64Array(x.length), t: 0 }));
        s.t++;
        const c1 = 1 - b1 ** s.t;
        const c2 = 1 - b2 ** s.t;
        for (let j = 0; j < x.length; j++) {
          const gj = g[j]! + wd * x[j]!;
          s.m[j] = b1 * s.m[j]! + (1 - b1) * gj;
          s.v[j] = b2 * s.v[j]! + (1 - b2) * gj * gj;
          x[j] = x[j]! - (this.lr * (s.m[j]! / c1)) / (Math.sqrt(s.v[j]! / c2) + eps);
        }
      });
    },
  };
}

/** A learning-rate schedule: the factor applied to the base rate at each epoch (0-based). */
export type Schedule = (epoch: number) => number;

/** Multiplies the rate by gamma every `every` epochs. */
export function stepSchedule(o: { every: number; gamma?: number }): Schedule {
  const every = checkNumber('stepSchedule: every', o.every, true);
  const gamma = checkNumber('stepSchedule: gamma', o.gamma ?? 0.1, true);
  return (epoch) => gamma ** Math.floor(epoch / every);
}

/** Cosine annealing from 1 to minFactor over `epochs` epochs (Loshchilov and Hutter 2017, no restarts). */
export function cosineSchedule(o: { epochs: number; minFactor?: number }): Schedule {
  const epochs = checkNumber('cosineSchedule: epochs', o.epochs, true);
  const min = checkNumber('cosineSchedule: minFactor', o.minFactor ?? 0);
  return (epoch) => min + ((1 - min) * (1 + Math.cos((Math.PI * Math.min(epoch, epochs)) / epochs))) / 2;
}

/** Multiplies the rate by gamma every epoch. */
export function exponentialSchedule(o: { gamma: number }): Schedule {
  const gamma = checkNumber('exponentialSchedule: gamma', o.gamma, true);
  return (epoch) => gamma ** epoch;
}
