import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { expectClose } from './helpers.js';

const dim = fc.integer({ min: 1, max: 20 });
const seed = fc.integer({ min: 0, max: 2 ** 31 });

/** x W^T + b entry by entry, as the definition reads. */
function reference(x: T.Tensor, w: T.Tensor, b: T.Tensor | undefined): Float64Array {
  const [out, inp] = w.shape as [number, number];
  const xv = x.copyValues();
  const rows = xv.length / inp;
  const y = new Float64Array(rows * out);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < out; j++) {
      let s = b === undefined ? 0 : b.get(j);
      for (let p = 0; p < inp; p++) s += xv[i * inp + p]! * w.get(j, p);
      y[i * out + j] = s;
    }
  }
  return y;
}

describe('linear(x, W, b) = x W^T + b', () => {
  test('matches the definition for leading dims of any rank, with and without bias', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
        dim,
        dim,
        fc.boolean(),
        seed,
        (lead, inp, out, withBias, s) => {
          const rng = T.createRng(s);
          const x = T.randn([...lead, inp], rng);
          const w = T.randn([out, inp], rng);
          const b = withBias ? T.randn([out], rng) : undefined;
          const y = T.linear(x, w, b);
          expect(y.shape).toEqual([...lead, out]);
          expectClose(y.values(), reference(x, w, b), 1e-12);
        },
      ),
      { numRuns: 100 },
    );
  });

  test('equals add(matmul(x, transpose(W)), b) bit for bit, also on transposed and sliced views', () => {
    fc.assert(
      fc.property(dim, dim, dim, seed, (m, inp, out, s) => {
        const rng = T.createRng(s);
        const x = T.randn([inp, m + 1], rng)
          .transpose()
          .slice([[1]]); // [m, inp], not contiguous
        const w = T.randn([inp, out], rng).transpose(); // [out, inp] read with swapped strides
        const b = T.randn([out], rng);
        const expected = T.add(T.matmul(x, w.transpose()), b);
        expect(Array.from(T.linear(x, w, b).values())).toEqual(Array.from(expected.values()));
        const x3 = T.randn([2, inp, m], rng).transpose(); // [2, m, inp], not contiguous
        expectClose(T.linear(x3, w, b).values(), T.add(T.matmul(x3, w.transpose()), b).values(), 1e-14);
      }),
      { numRuns: 60 },
    );
  });

  test('bit for bit on the shapes whose kernels add the bias as they store (W2 layers and their kin)', () => {
    const rng = T.createRng(12);
    // [rows, in] x [out, in]: in 1 or 2 (thin kernel), out 1 or 2 (narrow), rows 2 (narrow, transposed).
    for (const [rows, inp, out] of [
      [256, 2, 64],
      [256, 64, 2],
      [37, 1, 30],
      [45, 17, 1],
      [2, 64, 70],
      [3, 2, 2],
    ] as const) {
      const x = T.randn([rows, inp], rng);
      const w = T.randn([out, inp], rng);
      const b = T.randn([out], rng);
      const expected = T.add(T.matmul(x, w.transpose()), b);
      expect(Array.from(T.linear(x, w, b).values()), `${rows} x ${inp} -> ${out}`).toEqual(
        Array.from(expected.values()),
      );
    }
  });

  test('a vector input gives a vector; empty dims give empty results', () => {
    const w = T.tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(T.linear(T.tensor([1, -1]), w, T.tensor([0.5, 0, -0.5])).toArray()).toEqual([-0.5, -1, -1.5]);
    expect(T.linear(T.zeros([0, 2]), w).shape).toEqual([0, 3]);
    expect(T.linear(T.zeros([4, 0]), T.zeros([3, 0]), T.ones([3])).toArray()).toEqual(
      Array.from({ length: 4 }, () => [1, 1, 1]),
    );
  });

  test('shape errors name the operation and every shape', () => {
    const x = T.zeros([4, 3]);
    expect(() => T.linear(x, T.zeros([2, 5]))).toThrow(T.ShapeError);
    expect(() => T.linear(x, T.zeros([2, 5]))).toThrow(
      'linear: expected x [..., in], W [out, in] and b [out], got x [4, 3] @ W^T [2, 5]',
    );
    expect(() => T.linear(x, T.zeros([2, 3]), T.zeros([3]))).toThrow('x [4, 3] @ W^T [2, 3] + b [3]');
    expect(() => T.linear(x, T.zeros([3]))).toThrow(T.ShapeError);
    expect(() => T.linear(T.tensor(1), T.zeros([1, 1]))).toThrow(T.ShapeError);
  });
});
