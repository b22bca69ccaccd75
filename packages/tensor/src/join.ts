import { fmtShape, IndexError, ShapeError } from './errors.js';
import { checkShape, normalizeAxis } from './shape.js';
import { Tensor } from './tensor.js';

/** Joins tensors along an existing axis; all other dims must agree. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError('concat: needs at least one tensor');
  const first = tensors[0]!;
  const ax = normalizeAxis(axis, first.rank, 'concat');
  for (const t of tensors) {
    const ok = t.rank === first.rank && t.shape.every((d, i) => i === ax || d === first.shape[i]);
    if (!ok) {
      throw new ShapeError(
        `concat: shapes ${fmtShape(first.shape)} and ${fmtShape(t.shape)} differ off axis ${ax}`,
      );
    }
  }
  const shape = [...first.shape];
  shape[ax] = tensors.reduce((n, t) => n + t.shape[ax]!, 0);
  // Copy block by block: for each index of the outer axes, one contiguous run per input.
  const outer = first.shape.slice(0, ax).reduce((n, d) => n * d, 1);
  const inner = first.shape.slice(ax + 1).reduce((n, d) => n * d, 1);
  const out = new Float64Array(outer * shape[ax]! * inner);
  const parts = tensors.map((t) => ({ v: t.values(), run: t.shape[ax]! * inner }));
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    for (const { v, run } of parts) {
      out.set(v.subarray(o * run, (o + 1) * run), pos);
      pos += run;
    }
  }
  return Tensor.view(out, shape);
}

/** Joins same-shaped tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError('stack: needs at least one tensor');
  const first = tensors[0]!;
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => d !== first.shape[i])) {
      throw new ShapeError(`stack: shapes ${fmtShape(first.shape)} and ${fmtShape(t.shape)} differ`);
    }
  }
  const ax = normalizeAxis(axis, first.rank + 1, 'stack');
  return concat(
    tensors.map((t) => t.expandDims(ax)),
    ax,
  );
}

/** Picks entries along `axis` by integer indices: out has `indices.length` at that axis. */
export function gather(x: Tensor, indices: readonly number[] | Tensor, axis = 0): Tensor {
  const ax = normalizeAxis(axis, x.rank, 'gather');
  const idx = indices instanceof Tensor ? Array.from(indices.values()) : indices;
  const n = x.shape[ax]!;
  for (const i of idx) {
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new IndexError(`gather: index ${i} is out of range for axis ${ax} of size ${n}`);
    }
  }
  const outer = x.shape.slice(0, ax).reduce((a, d) => a * d, 1);
  const inner = x.shape.slice(ax + 1).reduce((a, d) => a * d, 1);
  const v = x.values();
  const out = new Float64Array(outer * idx.length * inner);
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    for (const i of idx) {
      const start = (o * n + i) * inner;
      out.set(v.subarray(start, start + inner), pos);
      pos += inner;
    }
  }
  const shape = [...x.shape];
  shape[ax] = idx.length;
  return Tensor.view(out, shape);
}

/**
 * The transpose of gather: a tensor of `shape` that is zero except that `values` is added at the
 * gathered positions (repeated indices accumulate). Used for the gradient of gather.
 */
export function scatterAdd(
  values: Tensor,
  indices: readonly number[] | Tensor,
  axis: number,
  shape: readonly number[],
): Tensor {
  checkShape(shape, 'scatterAdd');
  const ax = normalizeAxis(axis, shape.length, 'scatterAdd');
  const idx = indices instanceof Tensor ? Array.from(indices.values()) : indices;
  const n = shape[ax]!;
  for (const i of idx) {
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new IndexError(`scatterAdd: index ${i} is out of range for axis ${ax} of size ${n}`);
    }
  }
  const outer = shape.slice(0, ax).reduce((a, d) => a * d, 1);
  const inner = shape.slice(ax + 1).reduce((a, d) => a * d, 1);
  const expected = [...shape];
  expected[ax] = idx.length;
  if (values.rank !== expected.length || values.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      `scatterAdd: values of shape ${fmtShape(values.shape)}, expected ${fmtShape(expected)}`,
    );
  }
  const v = values.values();
  const out = new Float64Array(outer * n * inner);
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    for (const i of idx) {
      const start = (o * n + i) * inner;
      for (let j = 0; j < inner; j++) out[start + j]! += v[pos++]!;
    }
  }
  return Tensor.view(out, shape);
}
