import ndarray, { type NdArray } from 'ndarray';
import { allocateUninitialized } from './buffers.js';
import { fmtShape, IndexError, ShapeError } from './errors.js';
import { checkShape, contiguousStrides, normalizeAxis, type Shape, sizeOf } from './shape.js';

export type NestedArray = number | NestedArray[];

type ViewMaker = (
  data: Float64Array,
  shape: Shape,
  strides: readonly number[],
  offset: number,
) => NdArray<Float64Array>;

const viewMakers: ViewMaker[] = [];

/**
 * The ndarray view constructor for float64 arrays of a given rank. `ndarray(...)` finds it on every
 * call by sniffing the data's type (Object.prototype.toString) and looking it up, 0.4-0.6 µs, more
 * than the arithmetic of a small op; we ask once per rank and call the class directly (20-60 ns).
 * The class takes the dims and strides as separate arguments: new View(data, n0, n1, s0, s1, offset).
 */
function viewMaker(rank: number): ViewMaker {
  let make = viewMakers[rank];
  if (make === undefined) {
    const View = ndarray(new Float64Array(1), new Array<number>(rank).fill(1)).constructor;
    const dims = Array.from({ length: rank }, (_, i) => `shape[${i}]`);
    const strides = Array.from({ length: rank }, (_, i) => `strides[${i}]`);
    const args = [...dims, ...strides, 'offset'].join(', ');
    make = new Function('View', `return (data, shape, strides, offset) => new View(data, ${args});`)(
      View,
    ) as ViewMaker;
    viewMakers[rank] = make;
  }
  return make;
}

/**
 * An n-d array of float64: an `ndarray` view (data, shape, strides, offset) over a Float64Array.
 * Tensors are immutable values: every op returns a new tensor. Reshape (when contiguous),
 * transpose, slicing and broadcasting return views that share `data` with their source.
 */
export class Tensor {
  readonly nd: NdArray<Float64Array>;

  constructor(nd: NdArray<Float64Array>) {
    this.nd = nd;
  }

  /** A view of `data` with the given layout (strides default to row-major). */
  static view(data: Float64Array, shape: Shape, strides?: readonly number[], offset = 0): Tensor {
    return new Tensor(viewMaker(shape.length)(data, shape, strides ?? contiguousStrides(shape), offset));
  }

  get data(): Float64Array {
    return this.nd.data;
  }
  get shape(): readonly number[] {
    return this.nd.shape;
  }
  get strides(): readonly number[] {
    return this.nd.stride;
  }
  get offset(): number {
    return this.nd.offset;
  }
  get rank(): number {
    return this.nd.shape.length;
  }
  get size(): number {
    return this.nd.size;
  }

  /** True when the elements lie in row-major order, one after the other, from `offset`. */
  get isContiguous(): boolean {
    const { shape, stride } = this.nd;
    let s = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      if (shape[i] !== 1 && stride[i] !== s) return false;
      s *= shape[i]!;
    }
    return true;
  }

  /** The elements in row-major order as a Float64Array: the storage itself when possible, else a copy. */
  values(): Float64Array {
    const n = this.size;
    if (this.isContiguous) {
      const o = this.offset;
      return o === 0 && this.data.length === n ? this.data : this.data.subarray(o, o + n);
    }
    return this.copyValues();
  }

  /** A fresh Float64Array of the elements in row-major order (never shares storage). */
  copyValues(): Float64Array {
    const out = allocateUninitialized(this.size);
    const { shape, stride, offset, data } = this.nd;
    if (out.length === 0) return out;
    const nd = shape.length;
    if (nd === 0) {
      out[0] = data[offset]!;
      return out;
    }
    const idx = new Int32Array(nd);
    const n = shape[nd - 1]!;
    const s = stride[nd - 1]!;
    let p = offset;
    let o = 0;
    for (let outer = out.length / n; outer > 0; outer--) {
      for (let i = 0, q = p; i < n; i++, q += s) out[o++] = data[q]!;
      for (let d = nd - 2; d >= 0; d--) {
        idx[d]!++;
        p += stride[d]!;
        if (idx[d]! < shape[d]!) break;
        p -= stride[d]! * shape[d]!;
        idx[d] = 0;
      }
    }
    return out;
  }

  /** This tensor with its own contiguous storage (itself when it already is contiguous at offset 0). */
  contiguous(): Tensor {
    if (this.isContiguous && this.offset === 0 && this.data.length === this.size) return this;
    return Tensor.view(this.copyValues(), this.shape);
  }

  /** A deep copy with fresh storage. */
  clone(): Tensor {
    return Tensor.view(this.copyValues(), this.shape);
  }

  /** The single element of a tensor of size 1. */
  item(): number {
    if (this.size !== 1)
      throw new ShapeError(`item: needs a tensor of size 1, got shape ${fmtShape(this.shape)}`);
    return this.data[this.offset]!;
  }

  /** The element at an index (one integer per dim; negative counts from the end). */
  get(...index: number[]): number {
    const { shape, stride } = this.nd;
    if (index.length !== shape.length) {
      throw new IndexError(`get: ${index.length} indices for a tensor of shape ${fmtShape(shape)}`);
    }
    let p = this.offset;
    for (let d = 0; d < index.length; d++) {
      let i = index[d]!;
      if (!Number.isInteger(i) || i < -shape[d]! || i >= shape[d]!) {
        throw new IndexError(`get: index ${i} is out of range for axis ${d} of size ${shape[d]}`);
      }
      if (i < 0) i += shape[d]!;
      p += i * stride[d]!;
    }
    return this.data[p]!;
  }

  /** Nested plain arrays (a number for rank 0). */
  toArray(): NestedArray {
    const flat = this.values();
    const shape = this.shape;
    if (shape.length === 0) return flat[0]!;
    let pos = 0;
    const build = (d: number): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < shape[d]!; i++) out.push(d === shape.length - 1 ? flat[pos++]! : build(d + 1));
      return out;
    };
    return build(0);
  }

  /** A new shape with the same elements; a view when the tensor is contiguous. One dim may be -1. */
  reshape(shape: readonly number[]): Tensor {
    const resolved = resolveReshape(this.shape, shape);
    if (this.isContiguous) return Tensor.view(this.data, resolved, undefined, this.offset);
    return Tensor.view(this.copyValues(), resolved);
  }

  /** Reorders the axes (a view). With no argument, reverses them; `transpose()` of a matrix is its transpose. */
  permute(axes?: readonly number[]): Tensor {
    const rank = this.rank;
    const order = axes ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const normalized = order.map((a) => normalizeAxis(a, rank, 'permute'));
    if (normalized.length !== rank || new Set(normalized).size !== rank) {
      throw new IndexError(`permute: [${order.join(', ')}] is not a permutation of the ${rank} axes`);
    }
    return new Tensor(this.nd.transpose(...normalized));
  }

  /** Swaps two axes (default: the last two), as a view. */
  transpose(axis1 = -2, axis2 = -1): Tensor {
    const rank = this.rank;
    if (rank < 2 && axis1 === -2 && axis2 === -1) return this;
    const a = normalizeAxis(axis1, rank, 'transpose');
    const b = normalizeAxis(axis2, rank, 'transpose');
    const order = Array.from({ length: rank }, (_, i) => i);
    order[a] = b;
    order[b] = a;
    return new Tensor(this.nd.transpose(...order));
  }

  /** A view broadcast to `shape` (NumPy rules; broadcast dims get stride 0). */
  broadcastTo(shape: readonly number[]): Tensor {
    checkShape(shape, 'broadcastTo');
    const src = this.shape;
    if (shape.length < src.length) {
      throw new ShapeError(`broadcastTo: cannot broadcast ${fmtShape(src)} to ${fmtShape(shape)}`);
    }
    const lead = shape.length - src.length;
    const strides = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < src.length; i++) {
      const d = src[i]!;
      const t = shape[lead + i]!;
      if (d === t) strides[lead + i] = this.strides[i]!;
      else if (d !== 1)
        throw new ShapeError(`broadcastTo: cannot broadcast ${fmtShape(src)} to ${fmtShape(shape)}`);
    }
    return Tensor.view(this.data, shape, strides, this.offset);
  }

  /** Inserts a dim of size 1 at `axis` (a view). */
  expandDims(axis: number): Tensor {
    const rank = this.rank + 1;
    const a = normalizeAxis(axis, rank, 'expandDims');
    const shape = [...this.shape];
    const strides = [...this.strides];
    shape.splice(a, 0, 1);
    strides.splice(a, 0, 0);
    return Tensor.view(this.data, shape, strides, this.offset);
  }

  /** Removes dims of size 1 (all of them, or the given axes, which must have size 1). A view. */
  squeeze(axes?: number | readonly number[]): Tensor {
    const rank = this.rank;
    const drop = new Set<number>();
    if (axes === undefined) {
      this.shape.forEach((d, i) => {
        if (d === 1) drop.add(i);
      });
    } else {
      for (const ax of typeof axes === 'number' ? [axes] : axes) {
        const a = normalizeAxis(ax, rank, 'squeeze');
        if (this.shape[a] !== 1) {
          throw new ShapeError(
            `squeeze: axis ${ax} has size ${this.shape[a]}, not 1, in shape ${fmtShape(this.shape)}`,
          );
        }
        drop.add(a);
      }
    }
    const keep = (_: number, i: number) => !drop.has(i);
    return Tensor.view(this.data, this.shape.filter(keep), this.strides.filter(keep), this.offset);
  }

  /**
   * A view of `start <= i < end` with `step` along each axis (one [start, end, step?] per leading
   * axis; missing axes are taken whole). Negative start/end count from the end, as in Python.
   */
  slice(ranges: readonly (readonly [number, number?, number?] | null)[]): Tensor {
    if (ranges.length > this.rank) {
      throw new IndexError(`slice: ${ranges.length} ranges for a tensor of rank ${this.rank}`);
    }
    const shape = [...this.shape];
    const strides = [...this.strides];
    let offset = this.offset;
    ranges.forEach((r, d) => {
      if (r === null) return;
      const n = shape[d]!;
      const step = r[2] ?? 1;
      if (!Number.isInteger(step) || step <= 0)
        throw new IndexError(`slice: step must be a positive integer, got ${step}`);
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
      const start = clamp(r[0]);
      const end = clamp(r[1] ?? n);
      if (!Number.isInteger(r[0]) || (r[1] !== undefined && !Number.isInteger(r[1]))) {
        throw new IndexError(`slice: bounds must be integers, got [${r[0]}, ${r[1]}] on axis ${d}`);
      }
      offset += start * strides[d]!;
      shape[d] = Math.max(0, Math.ceil((end - start) / step));
      strides[d] = strides[d]! * step;
    });
    return Tensor.view(this.data, shape, strides, offset);
  }

  /** `x[i]` along the first axis (a view with one dim fewer). */
  index(i: number): Tensor {
    if (this.rank === 0) throw new IndexError('index: a scalar tensor has no first axis');
    const n = this.shape[0]!;
    if (!Number.isInteger(i) || i < -n || i >= n)
      throw new IndexError(`index: ${i} is out of range for size ${n}`);
    if (i < 0) i += n;
    return new Tensor(this.nd.pick(i) as NdArray<Float64Array>);
  }

  toString(): string {
    return formatTensor(this);
  }
}

/** Checks a reshape target (one -1 allowed) against the source size. */
function resolveReshape(from: Shape, to: readonly number[]): number[] {
  const size = sizeOf(from);
  const free = to.filter((d) => d === -1).length;
  if (free > 1) throw new ShapeError(`reshape: at most one -1 in ${fmtShape(to)}`);
  for (const d of to) {
    if (d !== -1 && (!Number.isInteger(d) || d < 0)) {
      throw new ShapeError(`reshape: dims must be non-negative integers, got ${fmtShape(to)}`);
    }
  }
  const known = sizeOf(to.filter((d) => d !== -1));
  const out = free === 1 ? to.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d)) : [...to];
  if (sizeOf(out) !== size || out.some((d) => !Number.isInteger(d))) {
    throw new ShapeError(`reshape: cannot reshape ${fmtShape(from)} (size ${size}) to ${fmtShape(to)}`);
  }
  return out;
}

function formatNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? x.toExponential(4) : String(Number(x.toPrecision(6)));
}

/** Like PyTorch: `tensor([[1, 2], [3, 4]])`, eliding the middle of long axes. */
function formatTensor(t: Tensor): string {
  const edge = 3;
  const shape = t.shape;
  const elide = t.size > 1000;
  const body = (prefix: number[], depth: number): string => {
    if (depth === shape.length) return formatNumber(t.get(...prefix));
    const n = shape[depth]!;
    const idx = elide && n > 2 * edge ? [...range(0, edge), -1, ...range(n - edge, n)] : range(0, n);
    const parts = idx.map((i) => (i === -1 ? '...' : body([...prefix, i], depth + 1)));
    const sep = depth === shape.length - 1 ? ', ' : `,\n${' '.repeat(8 + depth)}`;
    return `[${parts.join(sep)}]`;
  };
  return `tensor(${body([], 0)}${shape.length > 1 || elide ? `, shape=${fmtShape(shape)}` : ''})`;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}
