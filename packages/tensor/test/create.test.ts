import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dataArb, expectSameValues, sizeOf } from './helpers.js';

/** Nested arrays of a shape from flat values (rank 0: the number). */
function nest(values: number[], shape: number[]): T.NestedArray {
  if (shape.length === 0) return values[0]!;
  const [n, ...rest] = shape;
  const step = sizeOf(rest);
  return Array.from({ length: n! }, (_, i) => nest(values.slice(i * step, (i + 1) * step), rest));
}

describe('tensor()', () => {
  test('from nested arrays: shape inferred, values in row-major order, toArray round-trips', () => {
    fc.assert(
      fc.property(dataArb({ maxRank: 4, minDim: 1 }), (d) => {
        const nested = nest(d.values, d.shape);
        const t = T.tensor(nested);
        expect(t.shape).toEqual(d.shape);
        expect(t.size).toBe(sizeOf(d.shape));
        expectSameValues(t.values(), d.values);
        expect(t.toArray()).toEqual(nested);
      }),
      { numRuns: 100 },
    );
  });

  test('from typed arrays and flat arrays with an explicit shape', () => {
    fc.assert(
      fc.property(dataArb({ maxRank: 3 }), (d) => {
        const f64 = Float64Array.from(d.values);
        expect(T.tensor(f64, d.shape).toArray()).toEqual(nest(d.values, d.shape));
        expect(T.tensor(d.values, d.shape).shape).toEqual(d.shape);
        expect(T.tensor(Float32Array.from([1, 2, 3, 4]), [2, 2]).toArray()).toEqual([
          [1, 2],
          [3, 4],
        ]);
        // a nested array with a shape of the same size is read flat
        expect(T.tensor(nest(d.values, d.shape), [sizeOf(d.shape)]).shape).toEqual([sizeOf(d.shape)]);
      }),
      { numRuns: 50 },
    );
    expect(T.tensor(new Int32Array([1, -2])).toArray()).toEqual([1, -2]);
    expect(T.tensor(Float64Array.of(5)).shape).toEqual([1]);
  });

  test('scalars, empty arrays and array-likes', () => {
    expect(T.tensor(3).shape).toEqual([]);
    expect(T.tensor(3).item()).toBe(3);
    expect(T.tensor(3, [1, 1]).toArray()).toEqual([[3]]);
    expect(T.tensor([]).shape).toEqual([0]);
    expect(T.tensor([[], []]).shape).toEqual([2, 0]);
    expect(T.tensor({ length: 2, 0: 7, 1: 8 }).toArray()).toEqual([7, 8]);
  });

  test('always copies its input', () => {
    const src = new Float64Array([1, 2, 3]);
    const t = T.tensor(src);
    src[0] = 99;
    expect(t.get(0)).toBe(1);
    const arr = [[1, 2]];
    const u = T.tensor(arr);
    arr[0]![0] = 99;
    expect(u.get(0, 0)).toBe(1);
  });
});

describe('constructors', () => {
  test('zeros, ones, full, eye, arange, linspace', () => {
    expect(
      T.zeros([2, 3])
        .values()
        .every((v) => v === 0),
    ).toBe(true);
    expect(T.ones([2]).toArray()).toEqual([1, 1]);
    expect(T.full([2, 1], 7).toArray()).toEqual([[7], [7]]);
    expect(T.eye(3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(T.eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(T.arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(T.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(T.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(T.arange(3, 1).shape).toEqual([0]);
    expect(T.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(T.linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(T.linspace(0, 0.3, 7).get(6)).toBe(0.3);
  });

  test('get reads by index, negative from the end', () => {
    const x = T.arange(24).reshape([2, 3, 4]);
    expect(x.get(1, 2, 3)).toBe(23);
    expect(x.get(-1, -3, 0)).toBe(12);
    expect(x.transpose(0, 2).get(3, 2, 1)).toBe(23);
    expect(T.tensor(5).get()).toBe(5);
  });
});

describe('toString', () => {
  test('fixed expected strings', () => {
    expect(T.tensor(3.5).toString()).toBe('tensor(3.5)');
    expect(T.tensor([1, 2, 3]).toString()).toBe('tensor([1, 2, 3])');
    expect(
      T.tensor([
        [1, 2],
        [3, 4],
      ]).toString(),
    ).toBe('tensor([[1, 2],\n        [3, 4]], shape=[2, 2])');
    expect(T.arange(8).reshape([2, 2, 2]).toString()).toBe(
      'tensor([[[0, 1],\n         [2, 3]],\n        [[4, 5],\n         [6, 7]]], shape=[2, 2, 2])',
    );
    expect(T.tensor([0.1, -1e-7, 123456789.5, 1 / 3]).toString()).toBe(
      'tensor([0.1, -1.0000e-7, 1.2346e+8, 0.333333])',
    );
    expect(T.tensor([Number.NaN, Number.POSITIVE_INFINITY, -0]).toString()).toBe(
      'tensor([NaN, Infinity, 0])',
    );
    expect(T.tensor([]).toString()).toBe('tensor([])');
    expect(T.zeros([2, 0]).toString()).toBe('tensor([[],\n        []], shape=[2, 0])');
    // a view prints its own elements
    expect(T.arange(4).reshape([2, 2]).transpose().toString()).toBe(
      'tensor([[0, 2],\n        [1, 3]], shape=[2, 2])',
    );
    expect(String(T.tensor([1]))).toBe('tensor([1])');
  });

  test('long tensors are elided with the shape shown', () => {
    expect(T.arange(2000).toString()).toBe('tensor([0, 1, 2, ..., 1997, 1998, 1999], shape=[2000])');
    const s = T.zeros([50, 50]).toString();
    expect(s.split('\n')).toHaveLength(7);
    expect(s).toContain('...');
    expect(s.endsWith('shape=[50, 50])')).toBe(true);
  });
});
