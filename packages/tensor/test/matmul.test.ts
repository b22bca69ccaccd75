import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { broadcastShape, expectClose, sizeOf } from './helpers.js';

/** Triple-loop reference for row-major a (m x k) and b (k x n), with the sum of |a_ip b_pj| per entry. */
function naive(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number) {
  const c = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        s += a[i * k + p]! * b[p * n + j]!;
        t += Math.abs(a[i * k + p]! * b[p * n + j]!);
      }
      c[i * n + j] = s;
      scale[i * n + j] = t;
    }
  }
  return { c, scale };
}

/** 1e-12 relative to sum_p |a_ip b_pj|, the natural scale of a dot product's rounding error. */
function expectMatmulClose(actual: T.Tensor, a: T.Tensor, b: T.Tensor, m: number, k: number, n: number) {
  const { c, scale } = naive(a.copyValues(), b.copyValues(), m, k, n);
  expectClose(actual.values(), c, 1e-12, scale);
}

/**
 * An m x k times k x n product against the triple loop, A contiguous or a transposed view (mode
 * bit 1), B contiguous or every other column of a larger tensor, transposed (mode bit 2).
 */
function checkStridedProduct(m: number, k: number, n: number, s: number, mode: number) {
  const rng = T.createRng(s);
  const a = mode & 1 ? T.randn([k, m], rng).transpose() : T.randn([m, k], rng);
  const wider = T.randn([n, 2 * k], rng).slice([
    [0, n],
    [0, 2 * k, 2],
  ]);
  const b = mode & 2 ? wider.transpose() : T.randn([k, n], rng);
  const c = T.matmul(a, b);
  expect(c.shape).toEqual([m, n]);
  expectMatmulClose(c, a, b, m, k, n);
}

const dim = fc.integer({ min: 1, max: 40 });
const seed = fc.integer({ min: 0, max: 2 ** 31 });

describe('matmul agrees with the triple loop', () => {
  test('2-D, sizes 1..40', () => {
    fc.assert(
      fc.property(dim, dim, dim, seed, (m, k, n, s) => {
        const rng = T.createRng(s);
        const a = T.randn([m, k], rng);
        const b = T.randn([k, n], rng);
        const c = T.matmul(a, b);
        expect(c.shape).toEqual([m, n]);
        expectMatmulClose(c, a, b, m, k, n);
      }),
      { numRuns: 120 },
    );
  });

  test('transposed-view operands (A^T B, A B^T, A^T B^T) and strided slices', () => {
    fc.assert(
      fc.property(dim, dim, dim, seed, fc.integer({ min: 0, max: 4 }), (m, k, n, s, mode) => {
        const rng = T.createRng(s);
        let a: T.Tensor;
        let b: T.Tensor;
        if (mode === 4) {
          // every other row and column of bigger tensors
          a = T.randn([2 * m, 2 * k + 1], rng).slice([
            [0, 2 * m, 2],
            [1, 2 * k + 1, 2],
          ]);
          b = T.randn([3 * k, n + 2], rng).slice([
            [2, 3 * k, 3],
            [1, n + 1],
          ]);
        } else {
          a = mode & 1 ? T.randn([k, m], rng).transpose() : T.randn([m, k], rng);
          b = mode & 2 ? T.randn([n, k], rng).transpose() : T.randn([k, n], rng);
        }
        expect([a.shape, b.shape]).toEqual([
          [m, k],
          [k, n],
        ]);
        const c = T.matmul(a, b);
        expectMatmulClose(c, a, b, m, k, n);
        // and the same as the product of contiguous copies (same packing, same order of sums)
        expectClose(c.values(), T.matmul(a.clone(), b.clone()).values(), 1e-14);
      }),
      { numRuns: 120 },
    );
  });

  test('sizes across the kernel blocks (64 rows, 256 deep, 256 columns) and their edges', () => {
    const rng = T.createRng(7);
    // Remainders of 1, 2 and 3 rows or columns take the padded, 2-wide and 2-high tiles; a depth
    // over 256 makes later blocks add to the tiles the first one stored.
    for (const [m, k, n] of [
      [65, 257, 3],
      [66, 300, 258],
      [2, 257, 6],
      [6, 260, 2],
      [18, 3, 2],
      [67, 2, 66],
      [131, 300, 259],
      [3, 513, 70],
      [4, 4, 4],
      [1, 600, 1],
    ] as const) {
      const a = T.randn([m, k], rng);
      const b = T.randn([k, n], rng);
      expectMatmulClose(T.matmul(a, b), a, b, m, k, n);
      const at = T.randn([k, m], rng).transpose();
      const bt = T.randn([n, k], rng).transpose();
      expectMatmulClose(T.matmul(at, bt), at, bt, m, k, n);
    }
  });

  test('depth 1 and 2 (the thin kernel), on contiguous, transposed and strided operands', () => {
    const rows = fc.integer({ min: 2, max: 300 });
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 2 }), rows, seed, fc.nat(3), (m, k, n, s, mode) =>
        checkStridedProduct(m, k, n, s, mode),
      ),
      { numRuns: 150 },
    );
    // Rows of B longer than the packing buffer take the tiles. Infinities give NaN only where 0
    // meets them (the depth-1 kernel adds a zero second term, so 0 times -2 gives 0, not -0).
    const rng = T.createRng(5);
    const a = T.randn([3, 2], rng);
    const b = T.randn([2, 40000], rng);
    expectMatmulClose(T.matmul(a, b), a, b, 3, 2, 40000);
    // (120 columns: smaller products take the plain loop.)
    const row = [Infinity, 1, -2, 0.5, 4, ...new Array<number>(115).fill(1)];
    const c = T.matmul(T.tensor([[2], [0], [-1], [3], [1]]), T.tensor([row])).toArray() as number[][];
    expect(c[0]!.slice(0, 5)).toEqual([Infinity, 2, -4, 1, 8]);
    expect(c[1]!.slice(0, 5)).toEqual([Number.NaN, 0, 0, 0, 0]);
  });

  test('at most 2 columns or 2 rows (the narrow kernel), on contiguous, transposed and strided operands', () => {
    const long = fc.integer({ min: 3, max: 300 });
    const narrow = fc.integer({ min: 1, max: 2 });
    fc.assert(
      fc.property(long, long, narrow, fc.boolean(), seed, fc.nat(3), (m, k, few, wide, s, mode) =>
        // wide: 2 rows or fewer times many columns; otherwise many rows times 2 columns or fewer
        wide ? checkStridedProduct(few, k, m, s, mode) : checkStridedProduct(m, k, few, s, mode),
      ),
      { numRuns: 200 },
    );
  });

  test('1-D operands: vector-matrix, matrix-vector, dot product', () => {
    fc.assert(
      fc.property(dim, dim, seed, (k, n, s) => {
        const rng = T.createRng(s);
        const v = T.randn([k], rng);
        const w = T.randn([k], rng);
        const b = T.randn([k, n], rng);
        const bt = T.randn([n, k], rng);
        const vb = T.matmul(v, b);
        expect(vb.shape).toEqual([n]);
        expectMatmulClose(vb, v, b, 1, k, n);
        const bv = T.matmul(bt, v);
        expect(bv.shape).toEqual([n]);
        expectMatmulClose(bv, bt, v, n, k, 1);
        const dot = T.matmul(v, w);
        expect(dot.shape).toEqual([]);
        expectMatmulClose(dot, v, w, 1, k, 1);
        // a strided vector
        const vs = T.randn([2 * k], rng).slice([[1, 2 * k, 2]]);
        expectMatmulClose(T.matmul(vs, b), vs, b, 1, k, n);
      }),
      { numRuns: 60 },
    );
  });

  test('batched, with broadcast leading dims', () => {
    const small = fc.integer({ min: 1, max: 9 });
    const batchDim = fc.integer({ min: 1, max: 3 });
    fc.assert(
      fc.property(
        fc.array(batchDim, { maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.nat(3),
        fc.tuple(small, small, small),
        seed,
        (batch, onesInA, onesInB, dropB, [m, k, n], s) => {
          const rng = T.createRng(s);
          // a's batch dims: some set to 1; b's: a suffix of the batch dims, with 1 at some dims
          // where a has the full size.
          const aBatch = batch.map((d, i) => (onesInA[i] ? 1 : d));
          const lead = Math.min(dropB, batch.length);
          const bBatch = batch.slice(lead).map((d, i) => (onesInB[i] && !onesInA[lead + i] ? 1 : d));
          const a = T.randn([...aBatch, m, k], rng);
          const b = T.randn([...bBatch, k, n], rng);
          const c = T.matmul(a, b);
          const outBatch = broadcastShape(aBatch, bBatch);
          expect(c.shape).toEqual([...outBatch, m, n]);
          // each batch entry against the naive product of the matching 2-D slices
          const av = a.values();
          const bv = b.values();
          const cv = c.values();
          for (let f = 0; f < sizeOf(outBatch); f++) {
            const idx: number[] = [];
            let r = f;
            for (let d = outBatch.length - 1; d >= 0; d--) {
              idx[d] = r % outBatch[d]!;
              r = Math.floor(r / outBatch[d]!);
            }
            const pick = (shape: number[]) => {
              let flat = 0;
              const lead = outBatch.length - shape.length;
              shape.forEach((d, i) => {
                flat = flat * d + (d === 1 ? 0 : idx[lead + i]!);
              });
              return flat;
            };
            const aMat = av.subarray(pick(aBatch) * m * k, (pick(aBatch) + 1) * m * k);
            const bMat = bv.subarray(pick(bBatch) * k * n, (pick(bBatch) + 1) * k * n);
            const { c: ref, scale } = naive(aMat, bMat, m, k, n);
            expectClose(cv.subarray(f * m * n, (f + 1) * m * n), ref, 1e-12, scale);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  test('batched with a 1-D operand and with a transposed batch', () => {
    const rng = T.createRng(3);
    const a = T.randn([2, 3, 4, 5], rng);
    const v = T.randn([5], rng);
    const av = T.matmul(a, v);
    expect(av.shape).toEqual([2, 3, 4]);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const slab = a.index(i).index(j);
        expectMatmulClose(av.index(i).index(j), slab, v, 4, 5, 1);
      }
    }
    const va = T.matmul(v.slice([[0, 4]]), a);
    expect(va.shape).toEqual([2, 3, 5]);
    // batch dims permuted: a [3, 2, 4, 5] view
    const ap = a.permute([1, 0, 2, 3]);
    const b = T.randn([5, 2], rng);
    const c = T.matmul(ap, b);
    expect(c.shape).toEqual([3, 2, 4, 2]);
    expectClose(c.values(), T.matmul(ap.clone(), b).values(), 1e-14);
  });

  test('empty dims give empty or zero results', () => {
    expect(T.matmul(T.zeros([0, 3]), T.ones([3, 2])).shape).toEqual([0, 2]);
    expect(T.matmul(T.ones([2, 0]), T.ones([0, 3])).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  test('IEEE semantics: 0 * Infinity is NaN, NaN propagates', () => {
    const c = T.matmul(T.tensor([[0, 1]]), T.tensor([[Number.POSITIVE_INFINITY], [1]]));
    expect(Number.isNaN(c.item())).toBe(true);
    const big = T.matmul(T.full([8, 8], 0), T.full([8, 8], Number.NaN));
    expect(big.values().every(Number.isNaN)).toBe(true);
  });
});

describe('matmul is linear in each argument', () => {
  test('(x A1 + y A2) B = x A1 B + y A2 B and A (x B1 + y B2) = x A B1 + y A B2', () => {
    const coef = fc.double({ min: -3, max: 3, noNaN: true }).filter((v) => v === 0 || Math.abs(v) > 1e-6);
    fc.assert(
      fc.property(dim, dim, dim, seed, coef, coef, (m, k, n, s, x, y) => {
        const rng = T.createRng(s);
        const [a1, a2] = [T.randn([m, k], rng), T.randn([m, k], rng)];
        const [b1, b2] = [T.randn([k, n], rng), T.randn([k, n], rng)];
        const combo = (p: T.Tensor, q: T.Tensor) => T.add(T.mul(p, x), T.mul(q, y));
        // scale: x |A1| |B| + y |A2| |B| bounds every intermediate
        const absScale = (p: T.Tensor, q: T.Tensor, r: T.Tensor) =>
          T.add(
            T.mul(T.matmul(T.abs(p), T.abs(r)), Math.abs(x)),
            T.mul(T.matmul(T.abs(q), T.abs(r)), Math.abs(y)),
          ).values();
        const left = T.matmul(combo(a1, a2), b1);
        expectClose(
          left.values(),
          combo(T.matmul(a1, b1), T.matmul(a2, b1)).values(),
          1e-12,
          absScale(a1, a2, b1),
        );
        const right = T.matmul(a1, combo(b1, b2));
        const rScale = T.add(
          T.mul(T.matmul(T.abs(a1), T.abs(b1)), Math.abs(x)),
          T.mul(T.matmul(T.abs(a1), T.abs(b2)), Math.abs(y)),
        ).values();
        expectClose(right.values(), combo(T.matmul(a1, b1), T.matmul(a1, b2)).values(), 1e-12, rScale);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the raw kernels', () => {
  test('matmulKernel writes C = A B at offsets and overwrites what was there', () => {
    const rng = T.createRng(11);
    for (const [m, k, n] of [
      [2, 3, 4],
      [17, 19, 23],
      [70, 9, 5],
      [9, 2, 30],
      [9, 1, 30],
      [7, 40, 2],
      [2, 40, 7],
      [6, 33, 1],
    ] as const) {
      const a = T.randn([m * k + 5], rng).values();
      const b = T.randn([k * n + 3], rng).values();
      const c = new Float64Array(m * n + 7).fill(42);
      T.matmulKernel(a, 5, b, 3, c, 7, m, k, n);
      const { c: ref, scale } = naive(a.subarray(5), b.subarray(3), m, k, n);
      expectClose(c.subarray(7), ref, 1e-12, scale);
      expect(Array.from(c.subarray(0, 7))).toEqual([42, 42, 42, 42, 42, 42, 42]);
    }
  });
});
