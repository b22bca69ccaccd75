import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type Data,
  dataOf,
  expectSameValues,
  ravel,
  shapeArb,
  sizeOf,
  toTensor,
  unravel,
} from './helpers.js';

/** Several tensors whose shapes agree except along `axis`. */
const concatArb = shapeArb({ minRank: 1, maxRank: 3 }).chain((shape) =>
  fc.nat(shape.length - 1).chain((axis) =>
    fc
      .array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 })
      .chain((lens) => fc.tuple(...lens.map((len) => dataOf(shape.map((d, i) => (i === axis ? len : d))))))
      .map((parts) => ({ parts: parts as Data[], axis })),
  ),
);

/** Element at a multi-index of plain data. */
const at = (d: Data, idx: readonly number[]) => d.values[ravel(idx, d.shape)]!;

describe('concat and stack', () => {
  test('concat matches picking each element from its part', () => {
    fc.assert(
      fc.property(concatArb, fc.boolean(), ({ parts, axis }, negative) => {
        const out = T.concat(parts.map(toTensor), negative ? axis - parts[0]!.shape.length : axis);
        const shape = [...parts[0]!.shape];
        shape[axis] = parts.reduce((n, p) => n + p.shape[axis]!, 0);
        expect(out.shape).toEqual(shape);
        const expected: number[] = [];
        for (let f = 0; f < sizeOf(shape); f++) {
          const idx = unravel(f, shape);
          let i = idx[axis]!;
          let k = 0;
          while (i >= parts[k]!.shape[axis]!) i -= parts[k++]!.shape[axis]!;
          const local = [...idx];
          local[axis] = i;
          expected.push(at(parts[k]!, local));
        }
        expectSameValues(out.values(), expected);
      }),
      { numRuns: 150 },
    );
  });

  test('concat of non-contiguous views matches concat of copies', () => {
    const x = T.arange(12).reshape([3, 4]);
    const parts = [x.transpose(), x.slice([[0, 3, 2]]).transpose()];
    expect(T.concat(parts, 1).toArray()).toEqual(
      T.concat(
        parts.map((p) => p.clone()),
        1,
      ).toArray(),
    );
    expect(T.concat(parts, 1).shape).toEqual([4, 5]);
  });

  test('stack(ts, axis)[..., i, ...] is ts[i]', () => {
    fc.assert(
      fc.property(
        shapeArb({ maxRank: 3 }).chain((shape) =>
          fc.tuple(
            fc.array(dataOf(shape), { minLength: 1, maxLength: 4 }),
            fc.integer({ min: -shape.length - 1, max: shape.length }),
          ),
        ),
        ([parts, axis]) => {
          const out = T.stack(parts.map(toTensor), axis);
          const ax = axis < 0 ? axis + parts[0]!.shape.length + 1 : axis;
          const shape = [...parts[0]!.shape];
          shape.splice(ax, 0, parts.length);
          expect(out.shape).toEqual(shape);
          const expected: number[] = [];
          for (let f = 0; f < sizeOf(shape); f++) {
            const idx = unravel(f, shape);
            const [i] = idx.splice(ax, 1);
            expected.push(at(parts[i!]!, idx));
          }
          expectSameValues(out.values(), expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('gather and scatterAdd', () => {
  const gatherArb = shapeArb({ minRank: 1, maxRank: 3 }).chain((shape) =>
    fc.tuple(
      dataOf(shape),
      fc
        .nat(shape.length - 1)
        .chain((axis) => fc.tuple(fc.constant(axis), fc.array(fc.nat(shape[axis]! - 1), { maxLength: 6 }))),
    ),
  );

  test('gather picks entries along an axis (repeats allowed), from arrays or index tensors', () => {
    fc.assert(
      fc.property(gatherArb, ([d, [axis, idx]]) => {
        const out = T.gather(toTensor(d), idx, axis);
        const shape = [...d.shape];
        shape[axis] = idx.length;
        expect(out.shape).toEqual(shape);
        const expected: number[] = [];
        for (let f = 0; f < sizeOf(shape); f++) {
          const j = unravel(f, shape);
          j[axis] = idx[j[axis]!]!;
          expected.push(at(d, j));
        }
        expectSameValues(out.values(), expected);
        expectSameValues(T.gather(toTensor(d), T.tensor(idx), axis).values(), expected);
        // from a non-contiguous view
        expectSameValues(T.gather(toTensor(d).permute().permute(), idx, axis).values(), expected);
      }),
      { numRuns: 150 },
    );
  });

  test('scatterAdd adds values at the gathered positions (repeats accumulate)', () => {
    fc.assert(
      fc.property(
        gatherArb.chain(([d, [axis, idx]]) => {
          const vShape = [...d.shape];
          vShape[axis] = idx.length;
          return dataOf(vShape).map((v) => ({ shape: d.shape, axis, idx, v }));
        }),
        ({ shape, axis, idx, v }) => {
          const out = T.scatterAdd(toTensor(v), idx, axis, shape);
          expect(out.shape).toEqual(shape);
          const expected = new Array<number>(sizeOf(shape)).fill(0);
          for (let f = 0; f < v.values.length; f++) {
            const j = unravel(f, v.shape);
            j[axis] = idx[j[axis]!]!;
            expected[ravel(j, shape)]! += v.values[f]!;
          }
          expectSameValues(out.values(), expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('scatterAdd is the transpose of gather: <gather(x), v> = <x, scatterAdd(v)>', () => {
    fc.assert(
      fc.property(
        gatherArb.chain(([d, [axis, idx]]) => {
          const vShape = [...d.shape];
          vShape[axis] = idx.length;
          return dataOf(vShape).map((v) => ({ d, axis, idx, v }));
        }),
        ({ d, axis, idx, v }) => {
          const x = toTensor(d);
          const lhs = T.sum(T.mul(T.gather(x, idx, axis), toTensor(v))).item();
          const rhs = T.sum(T.mul(x, T.scatterAdd(toTensor(v), idx, axis, d.shape))).item();
          expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(lhs)) * 100);
        },
      ),
      { numRuns: 100 },
    );
  });
});
