/**
 * Every primitive of the rule table, on random shapes (broadcasting, size-1 dims, rank 0) and
 * random values in its domain: its VJP and the VJP of its VJP agree with central finite
 * differences in float64 (gradcheck, order 2).
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propsConfig } from '../../../test/props-config.js';
import {
  broadcastInputs,
  broadcastingTo,
  type Domain,
  shapeArb,
  type TensorData,
  tensorArb,
  toTensor,
  valuesOf,
} from './arbitraries.js';

type Case<P> = { inputs: TensorData[]; params: P };
/** Runs a primitive's property (fast-check throws with the seed and the shrunk case on failure). */
type Spec = () => void;

/**
 * A primitive's test: random cases (inputs and the op's parameters) and how to turn the
 * parameters into the function to check; `seed` picks gradcheck's random directions.
 */
function spec<P>(cases: fc.Arbitrary<Case<P>>, build: (p: P) => A.Fn): Spec {
  return () =>
    fc.assert(
      fc.property(cases, fc.integer({ min: 0, max: 1e6 }), ({ inputs, params }, seed) => {
        const report = A.gradcheck(build(params), inputs.map(toTensor), { order: 2, seed });
        expect(report.ok, JSON.stringify(report.worst)).toBe(true);
      }),
      propsConfig(25),
    );
}

const noParams = (inputs: fc.Arbitrary<TensorData[]>): fc.Arbitrary<Case<undefined>> =>
  inputs.map((i) => ({ inputs: i, params: undefined }));

const unary = (op: (x: A.Var) => A.Var, domain: Domain = 'any'): Spec =>
  spec(noParams(tensorArb(domain).map((x) => [x])), () => op);

const binary = (op: (x: A.Var, y: A.Var) => A.Var, dx: Domain = 'any', dy: Domain = 'any'): Spec =>
  spec(noParams(broadcastInputs([dx, dy])), () => op);

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** [start, end, step] ranges over a prefix of the axes of `shape` (null = the whole axis); never empty. */
function rangesFor(shape: readonly number[]): fc.Arbitrary<A.SliceRanges> {
  return fc.integer({ min: 0, max: shape.length }).chain((k) =>
    fc.tuple(
      ...shape.slice(0, k).map((n) =>
        fc.option(
          fc
            .integer({ min: 0, max: n - 1 })
            .chain((start) =>
              fc.tuple(
                fc.constant(start),
                fc.integer({ min: start + 1, max: n }),
                fc.integer({ min: 1, max: 2 }),
                fc.boolean(),
              ),
            )
            .map(([s, e, step, fromEnd]) => [fromEnd ? s - n : s, e, step] as const),
        ),
      ),
    ),
  );
}

/** An axis of `shape` and 1-4 indices into it (repeats included: they exercise accumulation). */
function axisAndIndices(shape: readonly number[]): fc.Arbitrary<{ axis: number; indices: number[] }> {
  return fc
    .integer({ min: 0, max: shape.length - 1 })
    .chain((axis) =>
      fc
        .array(fc.integer({ min: 0, max: shape[axis]! - 1 }), { minLength: 1, maxLength: 4 })
        .map((indices) => ({ axis, indices })),
    );
}

/** Axes to reduce (null: all of them) and keepdims. */
function reduction(domain: Domain) {
  return shapeArb().chain((shape) =>
    fc.record({
      inputs: valuesOf(shape, domain).map((x) => [x]),
      params: fc.record({
        axes: fc.option(fc.subarray(range(shape.length))),
        keepdims: fc.boolean(),
      }),
    }),
  );
}

const specs: { [K in Exclude<A.PrimitiveName, 'identity'>]: Spec } = {
  add: binary(A.add),
  sub: binary(A.sub),
  mul: binary(A.mul),
  div: binary(A.div, 'any', 'awayFromZero'),
  pow: binary(A.pow, 'positive', 'any'),
  neg: unary(A.neg),
  exp: unary(A.exp),
  log: unary(A.log, 'positive'),
  sqrt: unary(A.sqrt, 'positive'),
  abs: unary(A.abs, 'offKink'),
  sin: unary(A.sin),
  cos: unary(A.cos),
  tanh: unary(A.tanh),
  tanhGrad: binary(A.tanhGrad),
  relu: unary(A.relu, 'offKink'),
  sigmoid: unary(A.sigmoid),
  softplus: unary(A.softplus),
  matmul: spec(
    fc
      .record({
        m: fc.integer({ min: 1, max: 3 }),
        k: fc.integer({ min: 1, max: 3 }),
        n: fc.integer({ min: 1, max: 3 }),
        batch: shapeArb({ maxRank: 2 }),
        leftVector: fc.boolean(),
        rightVector: fc.boolean(),
      })
      .chain(({ m, k, n, batch, leftVector, rightVector }) =>
        fc
          .tuple(broadcastingTo(batch), broadcastingTo(batch))
          .chain(([ba, bb]) =>
            fc.tuple(valuesOf(leftVector ? [k] : [...ba, m, k]), valuesOf(rightVector ? [k] : [...bb, k, n])),
          ),
      )
      .map((inputs) => ({ inputs, params: undefined })),
    () => A.matmul,
  ),
  linear: spec(
    fc
      .record({
        lead: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
        inp: fc.integer({ min: 1, max: 3 }),
        out: fc.integer({ min: 1, max: 3 }),
        withBias: fc.boolean(),
      })
      .chain(({ lead, inp, out, withBias }) =>
        fc.tuple(valuesOf([...lead, inp]), valuesOf([out, inp]), ...(withBias ? [valuesOf([out])] : [])),
      )
      .map((inputs) => ({ inputs, params: undefined })),
    () => A.linear as A.Fn,
  ),
  permute: spec(
    shapeArb().chain((shape) =>
      fc.record({
        inputs: valuesOf(shape).map((x) => [x]),
        params: fc.shuffledSubarray(range(shape.length), {
          minLength: shape.length,
          maxLength: shape.length,
        }),
      }),
    ),
    (axes) => (x) => A.permute(x, axes),
  ),
  reshape: spec(
    shapeArb().chain((shape) =>
      fc.record({
        inputs: valuesOf(shape).map((x) => [x]),
        // The same dims in another order, with 1s inserted, one of them maybe written -1.
        params: fc
          .tuple(
            fc.shuffledSubarray(shape, { minLength: shape.length, maxLength: shape.length }),
            fc.array(fc.nat(), { maxLength: 2 }),
            fc.option(fc.nat()),
          )
          .map(([dims, ones, free]) => {
            const target = [...dims];
            for (const p of ones) target.splice(p % (target.length + 1), 0, 1);
            if (free !== null && target.length > 0) target[free % target.length] = -1;
            return target;
          }),
      }),
    ),
    (shape) => (x) => A.reshape(x, shape),
  ),
  broadcastTo: spec(
    shapeArb().chain((out) =>
      fc.record({
        inputs: broadcastingTo(out).chain((s) => valuesOf(s).map((x) => [x])),
        params: fc.constant(out),
      }),
    ),
    (shape) => (x) => A.broadcastTo(x, shape),
  ),
  sum: spec(reduction('any'), (p) => (x) => A.sum(x, p.axes ?? undefined, { keepdims: p.keepdims })),
  max: spec(reduction('distinct'), (p) => (x) => A.max(x, p.axes ?? undefined, { keepdims: p.keepdims })),
  concat: spec(
    fc
      .record({
        shape: shapeArb({ minRank: 1 }),
        pieces: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
      })
      .chain(({ shape, pieces }) =>
        fc.integer({ min: 0, max: shape.length - 1 }).chain((axis) =>
          fc.record({
            inputs: fc.tuple(...pieces.map((n) => valuesOf(shape.map((d, i) => (i === axis ? n : d))))),
            params: fc.constant(axis),
          }),
        ),
      ),
    (axis) =>
      (...xs) =>
        A.concat(xs, axis),
  ),
  slice: spec(
    shapeArb({ minRank: 1 }).chain((shape) =>
      fc.record({ inputs: valuesOf(shape).map((x) => [x]), params: rangesFor(shape) }),
    ),
    (ranges) => (x) => A.slice(x, ranges),
  ),
  padSlice: spec(
    shapeArb({ minRank: 1 }).chain((shape) =>
      rangesFor(shape).chain((ranges) =>
        fc.record({
          inputs: valuesOf(T.zeros(shape).slice(ranges).shape).map((x) => [x]),
          params: fc.constant({ ranges, shape }),
        }),
      ),
    ),
    (p) => (x) => A.padSlice(x, p.ranges, p.shape),
  ),
  gather: spec(
    shapeArb({ minRank: 1 }).chain((shape) =>
      fc.record({ inputs: valuesOf(shape).map((x) => [x]), params: axisAndIndices(shape) }),
    ),
    (p) => (x) => A.gather(x, p.indices, p.axis),
  ),
  scatterAdd: spec(
    shapeArb({ minRank: 1 }).chain((shape) =>
      axisAndIndices(shape).chain(({ axis, indices }) =>
        fc.record({
          inputs: valuesOf(shape.map((d, i) => (i === axis ? indices.length : d))).map((x) => [x]),
          params: fc.constant({ axis, indices, shape }),
        }),
      ),
    ),
    (p) => (x) => A.scatterAdd(x, p.indices, p.axis, p.shape),
  ),
  where: spec(
    // The condition is a constant mask, closed over (perturbing it would flip it).
    shapeArb().chain((out) =>
      fc.record({
        inputs: fc.tuple(
          broadcastingTo(out).chain((s) => valuesOf(s)),
          broadcastingTo(out).chain((s) => valuesOf(s)),
        ),
        params: broadcastingTo(out).chain((s) =>
          fc
            .array(fc.constantFrom(0, 1), {
              minLength: s.reduce((n, d) => n * d, 1),
              maxLength: s.reduce((n, d) => n * d, 1),
            })
            .map((v) => ({ shape: s, values: v })),
        ),
      }),
    ),
    (cond) => (x, y) => A.where(toTensor(cond), x, y),
  ),
};

describe('every primitive passes gradcheck to second order', () => {
  it('covers every primitive of the rule table', () => {
    const table = Object.keys(A.rules).filter((k) => k !== 'identity');
    expect(Object.keys(specs).sort()).toEqual(table.sort());
  });
  for (const [name, check] of Object.entries(specs)) it(name, check);
});
