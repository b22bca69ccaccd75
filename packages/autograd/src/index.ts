/**
 * @resode/autograd: reverse-mode autodiff over @resode/tensor (and forward mode by the
 * double-VJP trick). This file is the whole public surface.
 */

export { type CustomVjpOptions, customVjp } from './custom.js';
export { type DataParallel, type DataParallelOptions, dataParallel } from './data-parallel.js';
export { apply } from './engine.js';
export { AnomalyError, AutogradError } from './errors.js';
export {
  assertGradcheck,
  type GradcheckOptions,
  type GradcheckReport,
  type GradcheckTrial,
  gradcheck,
} from './gradcheck.js';
export { detectAnomaly, isRecording, noGrad } from './mode.js';
export {
  abs,
  add,
  broadcastTo,
  concat,
  constant,
  cos,
  crossEntropy,
  detach,
  div,
  dot,
  exp,
  expandDims,
  gather,
  index,
  isVar,
  linear,
  log,
  logSoftmax,
  logsumexp,
  matmul,
  max,
  mean,
  min,
  mse,
  mul,
  neg,
  padSlice,
  permute,
  pow,
  type ReduceOpts,
  relu,
  reshape,
  type SliceRanges,
  scatterAdd,
  sigmoid,
  sin,
  slice,
  softmax,
  softplus,
  sqrt,
  square,
  squeeze,
  stack,
  stopGradient,
  sub,
  sum,
  sumToShape,
  tanh,
  tanhGrad,
  toVar,
  transpose,
  variable,
  where,
} from './ops.js';
export { type Params, type PrimitiveName, rules } from './rules.js';
export {
  type Fn,
  type GradOptions,
  grad,
  hvp,
  jacobian,
  jvp,
  type PullbackOptions,
  valueAndGrad,
  vjp,
} from './transforms.js';
export { Var, type VarLike } from './var.js';
