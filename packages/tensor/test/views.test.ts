import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dataArb, expectSameValues, ravel, sizeOf, toTensor, unravel } from './helpers.js';

const permArb = (rank: number) =>
  fc.shuffledSubarray(
    Array.from({ length: rank }, (_, i) => i),
    { minLength: rank, maxLength: rank },
  );

describe('reshape, transpose and permute', () => {
  test('reshape to a factorisation and back is the identity; -1 is inferred', () => {
    fc.assert(
      fc.property(dataArb({ maxRank: 4 }), fc.integer({ min: 1, max: 4 }), (d, q) => {
        const x = toTensor(d);
        const size = sizeOf(d.shape);
        const target = size % q === 0 ? [q, size / q] : [size];
        const y = x.reshape(target);
        expect(y.shape).toEqual(target);
        expectSameValues(y.values(), d.values);
        expect(y.reshape(d.shape).toArray()).toEqual(x.toArray());
        expect(x.reshape([-1]).shape).toEqual([size]);
        if (target.length === 2) expect(x.reshape([q, -1]).shape).toEqual(target);
        expect(T.reshape(x, [size]).shape).toEqual([size]);
      }),
      { numRuns: 100 },
    );
  });

  test('permute moves elements as the axes say, and the inverse permutation undoes it', () => {
    fc.assert(
      fc.property(
        dataArb({ minRank: 1, maxRank: 4 }).chain((d) => permArb(d.shape.length).map((p) => ({ d, p }))),
        ({ d, p }) => {
          const x = toTensor(d);
          const y = x.permute(p);
          expect(y.shape).toEqual(p.map((a) => d.shape[a]));
          // y[j_0, .., j_r] = x[i] with i[p[k]] = j[k]
          const yv = y.values();
          for (let f = 0; f < yv.length; f++) {
            const j = unravel(f, y.shape);
            const i = new Array<number>(p.length);
            p.forEach((a, k) => {
              i[a] = j[k]!;
            });
            expect(yv[f]).toBe(d.values[ravel(i, d.shape)]);
          }
          const inverse = new Array<number>(p.length);
          p.forEach((a, k) => {
            inverse[a] = k;
          });
          expect(y.permute(inverse).toArray()).toEqual(x.toArray());
          expect(T.permute(x, p).toArray()).toEqual(y.toArray());
        },
      ),
      { numRuns: 100 },
    );
  });

  test('transpose swaps two axes (the last two by default) and twice is the identity', () => {
    fc.assert(
      fc.property(
        dataArb({ minRank: 2, maxRank: 4 }).chain((d) =>
          fc.tuple(fc.nat(d.shape.length - 1), fc.nat(d.shape.length - 1)).map(([a, b]) => ({ d, a, b })),
        ),
        ({ d, a, b }) => {
          const x = toTensor(d);
          const order = d.shape.map((_, i) => i);
          [order[a], order[b]] = [order[b]!, order[a]!];
          expect(x.transpose(a, b).toArray()).toEqual(x.permute(order).toArray());
          expect(x.transpose(a, b).transpose(a, b).toArray()).toEqual(x.toArray());
          const r = d.shape.length;
          const last = d.shape.map((_, i) => i);
          [last[r - 2], last[r - 1]] = [last[r - 1]!, last[r - 2]!];
          expect(T.transpose(x).toArray()).toEqual(x.permute(last).toArray());
        },
      ),
      { numRuns: 100 },
    );
  });

  test('a transposed matrix reads as its transpose; reshape of a non-contiguous view copies', () => {
    const x = T.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const t = x.transpose();
    expect(t.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(t.isContiguous).toBe(false);
    const r = t.reshape([6]);
    expect(r.toArray()).toEqual([1, 4, 2, 5, 3, 6]);
    expect(T.tensor([7]).transpose().toArray()).toEqual([7]);
  });

  test('expandDims and squeeze are inverse', () => {
    fc.assert(
      fc.property(
        dataArb({ maxRank: 3 }).chain((d) =>
          fc.integer({ min: -d.shape.length - 1, max: d.shape.length }).map((a) => ({ d, a })),
        ),
        ({ d, a }) => {
          const x = toTensor(d);
          const e = T.expandDims(x, a);
          const pos = a < 0 ? a + d.shape.length + 1 : a;
          const expected = [...d.shape];
          expected.splice(pos, 0, 1);
          expect(e.shape).toEqual(expected);
          expect(T.squeeze(e, a).toArray()).toEqual(x.toArray());
          expect(T.squeeze(e).shape).toEqual(d.shape.filter((s) => s !== 1));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('views share data with their source', () => {
  test('a write into the source storage shows in every view', () => {
    fc.assert(
      fc.property(dataArb({ minRank: 2, maxRank: 3 }), fc.nat(), (d, which) => {
        const x = toTensor(d);
        const views = [
          x.transpose(),
          x.permute(),
          x.reshape([-1]),
          x.slice([[0, d.shape[0]!, 2]]),
          x.expandDims(0),
          x.broadcastTo([2, ...d.shape]),
          x.index(0),
          T.squeeze(x),
        ];
        const f = which % sizeOf(d.shape);
        const before = views.map((v) => v.copyValues());
        x.data[f] = 1234.5;
        const idx = unravel(f, d.shape);
        // the element moved to where each view maps it
        expect(views[0]!.get(...[...idx.slice(0, -2), idx.at(-1)!, idx.at(-2)!])).toBe(1234.5);
        expect(views[1]!.get(...[...idx].reverse())).toBe(1234.5);
        expect(views[2]!.get(f)).toBe(1234.5);
        if (idx[0]! % 2 === 0) expect(views[3]!.get(idx[0]! / 2, ...idx.slice(1))).toBe(1234.5);
        expect(views[4]!.get(0, ...idx)).toBe(1234.5);
        expect(views[5]!.get(1, ...idx)).toBe(1234.5);
        if (idx[0] === 0) expect(views[6]!.get(...idx.slice(1))).toBe(1234.5);
        // and the rest is unchanged
        views.forEach((v, k) => {
          const after = v.copyValues();
          let changed = 0;
          after.forEach((e, i) => {
            if (e !== before[k]![i] && !(Number.isNaN(e) && Number.isNaN(before[k]![i]!))) changed++;
          });
          expect(changed).toBeLessThanOrEqual(k === 5 ? 2 : 1);
        });
      }),
      { numRuns: 60 },
    );
  });

  test('views have the same storage; clone and contiguous() of a view do not', () => {
    const x = T.arange(6).reshape([2, 3]);
    expect(x.transpose().data).toBe(x.data);
    expect(x.slice([[1, 2]]).data).toBe(x.data);
    expect(x.transpose().clone().data).not.toBe(x.data);
    expect(x.contiguous()).toBe(x);
    expect(x.transpose().contiguous().data).not.toBe(x.data);
    const v = x.slice([null, [1, 3]]);
    expect(v.offset).toBe(1);
    expect(v.strides).toEqual([3, 1]);
  });
});

/** Python's slice(start, end, step) on a length-n axis, for step > 0: the picked indices. */
function pySlice(n: number, start: number, end: number | undefined, step: number): number[] {
  const norm = (v: number) => (v < 0 ? Math.max(v + n, 0) : Math.min(v, n));
  const out: number[] = [];
  for (let i = norm(start); i < (end === undefined ? n : norm(end)); i += step) out.push(i);
  return out;
}

describe('slice', () => {
  test('matches Python slicing (negative and out-of-range bounds, steps) on every axis', () => {
    const rangeArb = fc.oneof(
      fc.constant(null),
      fc.tuple(
        fc.integer({ min: -9, max: 9 }),
        fc.option(fc.integer({ min: -9, max: 9 }), { nil: undefined }),
        fc.integer({ min: 1, max: 4 }),
      ),
    );
    fc.assert(
      fc.property(
        dataArb({ minRank: 1, maxRank: 3, maxDim: 7 }).chain((d) =>
          fc.array(rangeArb, { maxLength: d.shape.length }).map((ranges) => ({ d, ranges })),
        ),
        ({ d, ranges }) => {
          const picks = d.shape.map((n, ax) => {
            const r = ranges[ax];
            return r ? pySlice(n, r[0], r[1], r[2]) : Array.from({ length: n }, (_, i) => i);
          });
          const spec = ranges.map((r) => (r ? ([r[0], r[1], r[2]] as const) : null));
          const y = toTensor(d).slice(spec);
          expect(y.shape).toEqual(picks.map((p) => p.length));
          const expected: number[] = [];
          for (let f = 0; f < sizeOf(y.shape); f++) {
            const j = unravel(f, y.shape);
            expected.push(
              d.values[
                ravel(
                  j.map((k, ax) => picks[ax]![k]!),
                  d.shape,
                )
              ]!,
            );
          }
          expectSameValues(y.values(), expected);
          expect(T.slice(toTensor(d), spec).shape).toEqual(y.shape);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('slices of slices compose', () => {
    const x = T.arange(20);
    expect(x.slice([[2, -1, 3]]).toArray()).toEqual([2, 5, 8, 11, 14, 17]);
    expect(
      x
        .slice([[2, -1, 3]])
        .slice([[-4, undefined, 2]])
        .toArray(),
    ).toEqual([8, 14]);
    expect(x.slice([[-3]]).toArray()).toEqual([17, 18, 19]);
    expect(x.slice([[15, 5]]).shape).toEqual([0]);
    expect(x.slice([[100, 200]]).shape).toEqual([0]);
  });

  test('index picks along the first axis, negative from the end', () => {
    const x = T.arange(6).reshape([3, 2]);
    expect(x.index(1).toArray()).toEqual([2, 3]);
    expect(x.index(-1).toArray()).toEqual([4, 5]);
    expect(x.index(0).index(1).item()).toBe(1);
    expect(x.get(-1, -2)).toBe(4);
  });
});
