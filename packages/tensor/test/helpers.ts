/**
 * Shared generators and naive references for the tensor tests. The references work on plain
 * row-major number arrays with index arithmetic written out, so that they share no code with the
 * library they check.
 */
import { type Tensor, tensor } from '@resode/tensor';
import fc from 'fast-check';

export const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i]!;
  }
  return out;
}

/** The multi-index of flat position `flat` in a row-major array of `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + idx[d]!;
  return flat;
}

/** Plain data for a tensor: a shape and its values in row-major order. */
export type Data = { shape: number[]; values: number[] };

export const toTensor = (d: Data): Tensor => tensor(d.values, d.shape);

/** Values that include integers (so that ties and equality happen), zeros and fractions. */
export const value = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true }),
);

export const shapeArb = (
  opts: { minRank?: number; maxRank?: number; minDim?: number; maxDim?: number } = {},
) =>
  fc.array(fc.integer({ min: opts.minDim ?? 1, max: opts.maxDim ?? 4 }), {
    minLength: opts.minRank ?? 0,
    maxLength: opts.maxRank ?? 4,
  });

export const dataOf = (shape: readonly number[], v: fc.Arbitrary<number> = value): fc.Arbitrary<Data> =>
  fc.array(v, { minLength: sizeOf(shape), maxLength: sizeOf(shape) }).map((values) => ({
    shape: [...shape],
    values,
  }));

export const dataArb = (opts: Parameters<typeof shapeArb>[0] = {}, v?: fc.Arbitrary<number>) =>
  shapeArb(opts).chain((s) => dataOf(s, v));

/**
 * `count` shapes that broadcast together: a common shape, then for each operand a suffix of it
 * (of any rank) with some dims set to 1.
 */
export const broadcastShapesArb = (count: number) =>
  fc
    .tuple(
      shapeArb({ maxRank: 4 }),
      fc.array(fc.tuple(fc.nat(4), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 })), {
        minLength: count,
        maxLength: count,
      }),
    )
    .map(([full, cuts]) =>
      cuts.map(([k, ones]) => full.slice(Math.min(k, full.length)).map((d, i) => (ones[i] ? 1 : d))),
    );

/** NumPy's broadcast shape of compatible shapes, written out. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Explicit tiling: the values of `d` repeated to fill `shape` (NumPy broadcasting by copying). */
export function tile(d: Data, shape: readonly number[]): number[] {
  const lead = shape.length - d.shape.length;
  const out: number[] = [];
  for (let f = 0; f < sizeOf(shape); f++) {
    const idx = unravel(f, shape).slice(lead);
    const src = idx.map((i, k) => (d.shape[k] === 1 ? 0 : i));
    out.push(d.values[ravel(src, d.shape)]!);
  }
  return out;
}

/** Equal as numbers, with NaN equal to NaN (and -0 equal to 0). */
export const same = (x: number, y: number): boolean => x === y || (Number.isNaN(x) && Number.isNaN(y));

export function expectSameValues(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  if (actual.length !== expected.length) {
    throw new Error(`length ${actual.length} !== ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (!same(actual[i]!, expected[i]!)) {
      throw new Error(`at ${i}: ${actual[i]} !== ${expected[i]}`);
    }
  }
}

/** |actual - expected| <= tol * scale elementwise (scale >= each |expected| and given per element). */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  scale?: ArrayLike<number>,
): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} !== ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const s = scale ? scale[i]! : Math.max(1, Math.abs(expected[i]!));
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol * s)) {
      throw new Error(`at ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tol * s})`);
    }
  }
}

/** Runs `f` and returns what it threw (failing the test if nothing was thrown). */
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}
