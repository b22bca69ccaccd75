import { allocate } from './buffers.js';
import { fmtShape, ShapeError } from './errors.js';
import { normalizeAxes } from './shape.js';
import { Tensor } from './tensor.js';

export type ReduceOptions = { keepdims?: boolean };
type Axes = number | readonly number[] | undefined;

/**
 * Runs `combine` over the reduced axes. The tensor is first laid out with the kept axes first and
 * the reduced axes last (a permuted copy, skipped when they already are), so each output element
 * reduces one contiguous run of the input.
 *
 * `columns`, when given, handles the other common layout without the copy: the reduced axes lead
 * (a sum over the batch, as for a bias gradient) and x is contiguous, so x is `run` rows of
 * `outSize` numbers and the reduction adds the rows up.
 */
function reduce(
  x: Tensor,
  axes: Axes,
  opts: ReduceOptions,
  op: string,
  combine: (v: Float64Array, start: number, n: number) => number,
  columns?: (v: Float64Array, rows: number, out: Float64Array) => void,
): Tensor {
  const reduced = normalizeAxes(axes, x.rank, op);
  const kept = x.shape.map((_, i) => i).filter((i) => !reduced.includes(i));
  const run = reduced.reduce((n, a) => n * x.shape[a]!, 1);
  const outShape = opts.keepdims
    ? x.shape.map((d, i) => (reduced.includes(i) ? 1 : d))
    : kept.map((a) => x.shape[a]!);
  const outSize = kept.reduce((n, a) => n * x.shape[a]!, 1);
  if (run === 0 && (op === 'max' || op === 'min' || op === 'argmax' || op === 'argmin')) {
    throw new ShapeError(`${op}: cannot reduce over an empty axis of shape ${fmtShape(x.shape)}`);
  }
  const out = allocate(outSize);
  const leading = reduced.every((a, i) => a === i);
  if (columns !== undefined && leading && kept.length > 0 && x.isContiguous) {
    columns(x.values(), run, out);
    return Tensor.view(out, outShape);
  }
  const order = [...kept, ...reduced];
  const inOrder = order.every((a, i) => a === i);
  const values = (inOrder ? x : x.permute(order)).values();
  for (let o = 0; o < outSize; o++) out[o] = combine(values, o * run, run);
  return Tensor.view(out, outShape);
}

function sumRun(v: Float64Array, start: number, n: number): number {
  let s = 0;
  for (let i = start; i < start + n; i++) s += v[i]!;
  return s;
}

/**
 * out[j] = sum over the rows r of v[r * out.length + j], each column summed from 0 in row order
 * (exactly as sumRun would). Four columns at a time, in four local accumulators: adding into
 * out[j] row after row would store and reload every partial sum (measured 2.9 ns an element
 * against 0.7 for [256, 64]: 47 µs against 12).
 */
function sumRows(v: Float64Array, rows: number, out: Float64Array): void {
  const n = out.length;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let r = 0, p = j; r < rows; r++, p += n) {
      s0 += v[p]!;
      s1 += v[p + 1]!;
      s2 += v[p + 2]!;
      s3 += v[p + 3]!;
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < n; j++) {
    let s = 0;
    for (let r = 0, p = j; r < rows; r++, p += n) s += v[p]!;
    out[j] = s;
  }
}

export function sum(x: Tensor, axes?: Axes, opts: ReduceOptions = {}): Tensor {
  return reduce(x, axes, opts, 'sum', sumRun, sumRows);
}

export function mean(x: Tensor, axes?: Axes, opts: ReduceOptions = {}): Tensor {
  return reduce(
    x,
    axes,
    opts,
    'mean',
    (v, s, n) => sumRun(v, s, n) / n,
    (v, rows, out) => {
      sumRows(v, rows, out);
      for (let j = 0; j < out.length; j++) out[j]! /= rows;
    },
  );
}

/** Maximum over axes (NaN if any element is NaN, like NumPy). */
export function max(x: Tensor, axes?: Axes, opts: ReduceOptions = {}): Tensor {
  return reduce(x, axes, opts, 'max', (v, s, n) => {
    let m = -Infinity;
    for (let i = s; i < s + n; i++) {
      const e = v[i]!;
      if (Number.isNaN(e)) return e;
      if (e > m) m = e;
    }
    return m;
  });
}

export function min(x: Tensor, axes?: Axes, opts: ReduceOptions = {}): Tensor {
  return reduce(x, axes, opts, 'min', (v, s, n) => {
    let m = Infinity;
    for (let i = s; i < s + n; i++) {
      const e = v[i]!;
      if (Number.isNaN(e)) return e;
      if (e < m) m = e;
    }
    return m;
  });
}

/**
 * Index of the first maximum along one axis (over the flattened tensor when axis is undefined;
 * then keepdims gives a tensor of ones of the input's rank). A NaN counts as the maximum, like NumPy.
 */
export function argmax(x: Tensor, axis?: number, opts: ReduceOptions = {}): Tensor {
  return argReduce(x, axis, opts, 'argmax', (e, best) => e > best);
}

/** Index of the first minimum, like `argmax`. */
export function argmin(x: Tensor, axis?: number, opts: ReduceOptions = {}): Tensor {
  return argReduce(x, axis, opts, 'argmin', (e, best) => e < best);
}

function argReduce(
  x: Tensor,
  axis: number | undefined,
  opts: ReduceOptions,
  op: 'argmax' | 'argmin',
  better: (e: number, best: number) => boolean,
): Tensor {
  const src = axis === undefined ? x.reshape([-1]) : x;
  const out = reduce(src, axis ?? 0, opts, op, (v, s, n) => {
    let best = 0;
    for (let i = 0; i < n; i++) {
      const e = v[s + i]!;
      if (Number.isNaN(e)) return i;
      if (better(e, v[s + best]!)) best = i;
    }
    return best;
  });
  return axis === undefined && opts.keepdims ? out.reshape(x.shape.map(() => 1)) : out;
}
