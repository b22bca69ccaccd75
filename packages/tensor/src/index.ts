/**
 * @resode/tensor: n-d float64 tensors on ndarray views, elementwise ops with NumPy broadcasting,
 * reductions, a fast matmul, and a seeded RNG. This file is the whole public surface.
 */

export {
  allocate,
  allocateUninitialized,
  recycle,
  StoragePool,
  withRecycling,
  withStoragePool,
} from './buffers.js';
export { type AllcloseOptions, allclose, maxAbsDiff } from './compare.js';
export { arange, eye, full, linspace, ones, tensor, zeros } from './create.js';
export {
  abs,
  add,
  atan2,
  copy,
  cos,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  map,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  reciprocal,
  relu,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  square,
  step,
  sub,
  type TensorLike,
  tanh,
  tanhGrad,
  where,
} from './elementwise.js';
export { fmtShape, IndexError, ShapeError, TensorError } from './errors.js';
export { concat, gather, scatterAdd, stack } from './join.js';
export { compileBinary, compileUnary, type KernelOptions } from './kernels/elementwise.js';
export { matmulKernel, matmulStrided } from './kernels/matmul.js';
/** tanh of one number, the scalar behind T.tanh (for fused loops of other packages). */
export { tanh as scalarTanh } from './kernels/tanh.js';
export { linear } from './linear.js';
export { matmul } from './matmul.js';
export {
  matmulParallel,
  matmulParallelInfo,
  PARALLEL_MIN,
  startMatmulWorker,
  stopMatmulWorker,
} from './parallel.js';
export { argmax, argmin, max, mean, min, type ReduceOptions, sum } from './reduce.js';
export { createRng, Rng, rand, randint, randn, shuffle } from './rng.js';
export {
  broadcastShapes,
  contiguousStrides,
  normalizeAxes,
  normalizeAxis,
  type Shape,
  sameShape,
  sizeOf,
} from './shape.js';
export { type NestedArray, Tensor } from './tensor.js';

import type { Tensor } from './tensor.js';
/** Views as functions, for symmetry with the ops. */
export const reshape = (x: Tensor, shape: readonly number[]): Tensor => x.reshape(shape);
export const transpose = (x: Tensor, a?: number, b?: number): Tensor => x.transpose(a, b);
export const permute = (x: Tensor, axes?: readonly number[]): Tensor => x.permute(axes);
export const broadcastTo = (x: Tensor, shape: readonly number[]): Tensor => x.broadcastTo(shape);
export const expandDims = (x: Tensor, axis: number): Tensor => x.expandDims(axis);
export const squeeze = (x: Tensor, axes?: number | readonly number[]): Tensor => x.squeeze(axes);
export const slice = (x: Tensor, ranges: readonly (readonly [number, number?, number?] | null)[]): Tensor =>
  x.slice(ranges);
