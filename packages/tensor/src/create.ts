import { fmtShape, ShapeError, TensorError } from './errors.js';
import { checkShape, type Shape, sizeOf } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

/**
 * A tensor from a number, nested arrays or a flat array-like (a typed array or number[]).
 * With `shape`, the values are read flat in row-major order and must number `size(shape)`.
 * The values are always copied.
 */
export function tensor(values: number | NestedArray | ArrayLike<number>, shape?: Shape): Tensor {
  if (shape !== undefined) {
    checkShape(shape, 'tensor');
    const flat =
      typeof values === 'number' ? [values] : flattenNested(values as NestedArray | ArrayLike<number>).flat;
    if (flat.length !== sizeOf(shape)) {
      throw new ShapeError(
        `tensor: ${flat.length} values do not fill shape ${fmtShape(shape)} (size ${sizeOf(shape)})`,
      );
    }
    return Tensor.view(Float64Array.from(flat), shape);
  }
  if (typeof values === 'number') return Tensor.view(Float64Array.of(values), []);
  const { flat, shape: inferred } = flattenNested(values as NestedArray | ArrayLike<number>);
  return Tensor.view(Float64Array.from(flat), inferred);
}

/** Walks nested arrays, checking that every level is rectangular. */
function flattenNested(values: NestedArray | ArrayLike<number>): {
  flat: ArrayLike<number>;
  shape: number[];
} {
  if (ArrayBuffer.isView(values)) {
    const typed = values as unknown as ArrayLike<number>;
    return { flat: typed, shape: [typed.length] };
  }
  const shape: number[] = [];
  for (let v: unknown = values; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat: number[] = [];
  const walk = (v: unknown, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (Array.isArray(v)) {
        throw new ShapeError(
          `tensor: ragged nested array at [${path.join(', ')}]: expected a number, got an array of length ${v.length}`,
        );
      }
      if (typeof v !== 'number')
        throw new TensorError(`tensor: expected a number at [${path.join(', ')}], got ${typeof v}`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      const got = Array.isArray(v) ? `length ${v.length}` : typeof v;
      throw new ShapeError(
        `tensor: ragged nested array at [${path.join(', ')}]: expected length ${shape[depth]}, got ${got}`,
      );
    }
    v.forEach((x, i) => {
      walk(x, depth + 1, [...path, i]);
    });
  };
  if (!Array.isArray(values)) {
    // An array-like that is not an array (e.g. { length, 0: .. }): flat, rank 1.
    const al = values as ArrayLike<number>;
    return { flat: Array.from(al), shape: [al.length] };
  }
  walk(values, 0, []);
  return { flat, shape };
}

export function full(shape: Shape, value: number): Tensor {
  checkShape(shape, 'full');
  return Tensor.view(new Float64Array(sizeOf(shape)).fill(value), shape);
}

export function zeros(shape: Shape): Tensor {
  checkShape(shape, 'zeros');
  return Tensor.view(new Float64Array(sizeOf(shape)), shape);
}

export function ones(shape: Shape): Tensor {
  return full(shape, 1);
}

/** The n x n identity (n x m when m is given). */
export function eye(n: number, m = n): Tensor {
  checkShape([n, m], 'eye');
  const out = zeros([n, m]);
  for (let i = 0; i < Math.min(n, m); i++) out.data[i * m + i] = 1;
  return out;
}

/** `arange(stop)`, `arange(start, stop, step = 1)`: start, start + step, ... before stop. */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step))
    throw new TensorError(`arange: step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return Tensor.view(out, [n]);
}

/** n points from a to b inclusive, evenly spaced. */
export function linspace(a: number, b: number, n: number): Tensor {
  checkShape([n], 'linspace');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  if (n > 1) out[n - 1] = b;
  return Tensor.view(out, [n]);
}
