/**
 * fast-check generators for the autograd property tests. They produce plain data (shapes and
 * number arrays, expression trees as objects) rather than Tensors, so that a shrunk
 * counterexample prints readably and can be pasted into a test.
 */
import type * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';

export type TensorData = { shape: number[]; values: number[] };

export const toTensor = (d: TensorData): T.Tensor => T.tensor(d.values, d.shape);

export const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/**
 * Where the values of an input live:
 * - any: [-2, 2] (including 0, -0 and tiny numbers);
 * - positive: [0.5, 3] (log, sqrt, the base of pow);
 * - awayFromZero: |x| in [0.5, 2] (denominators);
 * - offKink: |x| in [0.1, 2] (relu, abs: finite differences must not straddle the kink);
 * - distinct: multiples of 0.05 in [-2, 2], all different (max: no ties within eps).
 */
export type Domain = 'any' | 'positive' | 'awayFromZero' | 'offKink' | 'distinct';

const signed = (min: number, max: number) =>
  fc.tuple(fc.boolean(), fc.double({ min, max, noNaN: true })).map(([s, v]) => (s ? v : -v));

function scalarOf(domain: Exclude<Domain, 'distinct'>): fc.Arbitrary<number> {
  switch (domain) {
    case 'any':
      return fc.double({ min: -2, max: 2, noNaN: true });
    case 'positive':
      return fc.double({ min: 0.5, max: 3, noNaN: true });
    case 'awayFromZero':
      return signed(0.5, 2);
    case 'offKink':
      return signed(0.1, 2);
  }
}

/** Values for a tensor of `shape`, in `domain`. */
export function valuesOf(shape: readonly number[], domain: Domain = 'any'): fc.Arbitrary<TensorData> {
  const n = sizeOf(shape);
  const values =
    domain === 'distinct'
      ? fc
          .uniqueArray(fc.integer({ min: -40, max: 40 }), { minLength: n, maxLength: n })
          .map((v) => v.map((i) => i / 20))
      : fc.array(scalarOf(domain), { minLength: n, maxLength: n });
  return values.map((v) => ({ shape: [...shape], values: v }));
}

/** Shapes of rank minRank..maxRank with dims 1..maxDim (size-1 dims are common). */
export function shapeArb({ minRank = 0, maxRank = 3, maxDim = 3 } = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** A tensor of random shape in `domain`. */
export function tensorArb(domain: Domain = 'any', shape = shapeArb()): fc.Arbitrary<TensorData> {
  return shape.chain((s) => valuesOf(s, domain));
}

/**
 * A shape that broadcasts to `out`: some leading dims dropped and some of the rest set to 1.
 */
export function broadcastingTo(out: readonly number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[drop + i] ? 1 : d)));
}

/** Inputs of a broadcasting elementwise op: one per domain, their shapes broadcasting together. */
export function broadcastInputs(domains: readonly Domain[]): fc.Arbitrary<TensorData[]> {
  return shapeArb().chain((out) =>
    fc.tuple(...domains.map((d) => broadcastingTo(out).chain((s) => valuesOf(s, d)))),
  );
}

/** Sum of all entries of a Var as a number (for comparisons). */
export const total = (v: A.Var): number => T.sum(v.value).item();
