import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type Data,
  dataArb,
  expectClose,
  expectSameValues,
  ravel,
  sizeOf,
  toTensor,
  unravel,
} from './helpers.js';

/** Naive reduction over one axis: for every index of the kept axes, fold along `axis`. */
function naiveAlong(
  d: Data,
  axis: number,
  init: (first: number) => number,
  fold: (acc: number, v: number, i: number) => number,
) {
  const outShape = d.shape.filter((_, i) => i !== axis);
  const out: number[] = [];
  for (let f = 0; f < sizeOf(outShape); f++) {
    const kept = unravel(f, outShape);
    const at = (i: number) => {
      const idx = [...kept];
      idx.splice(axis, 0, i);
      return d.values[ravel(idx, d.shape)]!;
    };
    let acc = init(at(0));
    for (let i = 1; i < d.shape[axis]!; i++) acc = fold(acc, at(i), i);
    out.push(acc);
  }
  return { shape: outShape, values: out };
}

const withAxis = dataArb({ minRank: 1, maxRank: 4 }).chain((d) =>
  fc.integer({ min: -d.shape.length, max: d.shape.length - 1 }).map((axis) => ({ d, axis })),
);

describe('reductions', () => {
  test('sum over [0, 1] equals sum over 1 then over 0; the full sum equals both', () => {
    fc.assert(
      fc.property(dataArb({ minRank: 2, maxRank: 4 }), (d) => {
        const x = toTensor(d);
        const both = T.sum(x, [0, 1]);
        const seq = T.sum(T.sum(x, 1), 0);
        expect(both.shape).toEqual(d.shape.slice(2));
        expect(seq.shape).toEqual(d.shape.slice(2));
        const scale = T.sum(T.abs(x), [0, 1]).values();
        expectClose(
          both.values(),
          seq.values(),
          1e-14,
          Array.from(scale, (s) => Math.max(s, 1e-300)),
        );
        const total = d.values.reduce((a, b) => a + b, 0);
        expectClose([T.sum(x).item()], [total], 1e-13, [d.values.reduce((a, b) => a + Math.abs(b), 1)]);
      }),
      { numRuns: 100 },
    );
  });

  test('keepdims keeps reduced axes as 1; axes may be negative and in any order', () => {
    fc.assert(
      fc.property(
        dataArb({ minRank: 1, maxRank: 4 }).chain((d) =>
          fc.shuffledSubarray(d.shape.map((_, i) => i)).chain((axes) =>
            fc.array(fc.boolean(), { minLength: axes.length, maxLength: axes.length }).map((neg) => ({
              d,
              axes: axes.map((a, i) => (neg[i] ? a - d.shape.length : a)),
            })),
          ),
        ),
        ({ d, axes }) => {
          const x = toTensor(d);
          const rank = d.shape.length;
          const norm = axes.map((a) => (a < 0 ? a + rank : a));
          for (const op of [T.sum, T.mean, T.max, T.min]) {
            const kept = op(x, axes, { keepdims: true });
            expect(kept.shape).toEqual(d.shape.map((s, i) => (norm.includes(i) ? 1 : s)));
            const dropped = op(x, axes);
            expect(dropped.shape).toEqual(d.shape.filter((_, i) => !norm.includes(i)));
            expectSameValues(kept.values(), dropped.values());
          }
          expect(T.sum(x, undefined, { keepdims: true }).shape).toEqual(d.shape.map(() => 1));
        },
      ),
      { numRuns: 100 },
    );
  });

  test('sum, mean, max, min, argmax, argmin along one axis match a naive fold', () => {
    fc.assert(
      fc.property(withAxis, ({ d, axis }) => {
        const x = toTensor(d);
        const ax = axis < 0 ? axis + d.shape.length : axis;
        const n = d.shape[ax]!;
        const sum = naiveAlong(
          d,
          ax,
          (v) => v,
          (a, v) => a + v,
        );
        expectClose(
          T.sum(x, axis).values(),
          sum.values,
          1e-14,
          sum.values.map(() => 20),
        );
        expectClose(
          T.mean(x, axis).values(),
          sum.values.map((s) => s / n),
          1e-14,
          sum.values.map(() => 20),
        );
        expectSameValues(
          T.max(x, axis).values(),
          naiveAlong(
            d,
            ax,
            (v) => v,
            (a, v) => Math.max(a, v),
          ).values,
        );
        expectSameValues(
          T.min(x, axis).values(),
          naiveAlong(
            d,
            ax,
            (v) => v,
            (a, v) => Math.min(a, v),
          ).values,
        );
        // first index of the extreme value
        const argOf = (better: (v: number, b: number) => boolean) => {
          const best = { v: 0, i: 0 };
          return naiveAlong(
            d,
            ax,
            (v) => {
              best.v = v;
              best.i = 0;
              return 0;
            },
            (_acc, v, i) => {
              if (better(v, best.v)) {
                best.v = v;
                best.i = i;
              }
              return best.i;
            },
          ).values;
        };
        const am = T.argmax(x, axis);
        expect(am.shape).toEqual(sum.shape);
        expectSameValues(
          am.values(),
          argOf((v, b) => v > b),
        );
        expectSameValues(
          T.argmin(x, axis).values(),
          argOf((v, b) => v < b),
        );
        expect(T.argmax(x, axis, { keepdims: true }).shape).toEqual(
          d.shape.map((s, i) => (i === ax ? 1 : s)),
        );
      }),
      { numRuns: 150 },
    );
  });

  test('argmax without an axis indexes the flattened tensor; keepdims gives ones of the same rank', () => {
    const x = T.tensor([
      [1, 9, 3],
      [9, 0, -4],
    ]);
    expect(T.argmax(x).item()).toBe(1);
    expect(T.argmin(x).item()).toBe(5);
    expect(T.argmax(x).shape).toEqual([]);
    expect(T.argmax(x, undefined, { keepdims: true }).shape).toEqual([1, 1]);
    expect(T.argmin(x, undefined, { keepdims: true }).toArray()).toEqual([[5]]);
  });

  test('NaN: max, min, argmax and argmin all report it (NumPy semantics)', () => {
    const x = T.tensor([1, Number.NaN, 5, Number.NaN]);
    expect(Number.isNaN(T.max(x).item())).toBe(true);
    expect(Number.isNaN(T.min(x).item())).toBe(true);
    expect(T.argmax(x).item()).toBe(1);
    expect(T.argmin(x).item()).toBe(1);
  });

  test('reductions of non-contiguous views match those of contiguous copies', () => {
    fc.assert(
      fc.property(dataArb({ minRank: 2, maxRank: 3 }), (d) => {
        const v = toTensor(d).permute();
        const c = v.clone();
        for (let ax = 0; ax < v.rank; ax++) {
          expectSameValues(T.max(v, ax).values(), T.max(c, ax).values());
          expectSameValues(T.argmin(v, ax).values(), T.argmin(c, ax).values());
          expectClose(T.sum(v, ax).values(), T.sum(c, ax).values(), 1e-14, T.sum(T.abs(c), ax).values());
        }
      }),
      { numRuns: 60 },
    );
  });

  test('empty reductions: sum of nothing is 0, mean is NaN, no axes is the identity', () => {
    expect(T.sum(T.zeros([0])).item()).toBe(0);
    expect(Number.isNaN(T.mean(T.zeros([0])).item())).toBe(true);
    expect(T.sum(T.zeros([2, 0]), 1).toArray()).toEqual([0, 0]);
    const x = T.tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(T.sum(x, []).toArray()).toEqual(x.toArray());
    expect(T.sum(T.tensor(3)).item()).toBe(3);
  });
});
