import * as T from '@resode/tensor';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

describe('matmulParallel (this thread + one worker thread)', () => {
  beforeAll(async () => {
    await T.startMatmulWorker();
  });
  afterAll(async () => {
    await T.stopMatmulWorker();
  });

  test('equals matmul exactly, the rows being split between the threads', () => {
    const rng = T.createRng(11);
    for (const [m, k, n] of [
      [130, 128, 129],
      [256, 200, 64],
      [8, 512, 512],
    ] as const) {
      expect(m * k * n).toBeGreaterThanOrEqual(T.PARALLEL_MIN);
      const a = T.randn([m, k], rng);
      const b = T.randn([k, n], rng);
      const before = T.matmulParallelInfo().twoThreadProducts;
      expect(T.matmulParallel(a, b).values()).toEqual(T.matmul(a, b).values());
      expect(T.matmulParallelInfo()).toEqual({ worker: 'ready', twoThreadProducts: before + 1 });
    }
  });

  test('reads transposed and sliced operands in place, like matmul', () => {
    const rng = T.createRng(12);
    const a = T.randn([150, 140], rng).transpose(); // [140, 150], column-major
    const b = T.randn([170, 160], rng).slice([
      [5, 155],
      [10, 150],
    ]); // [150, 140]
    const out = T.matmulParallel(a, b);
    expect(out.shape).toEqual([140, 140]);
    expect(out.values()).toEqual(T.matmul(a, b).values());
  });

  test('small products, and products after a restart, give matmul', async () => {
    const rng = T.createRng(13);
    const a = T.randn([3, 4], rng);
    const b = T.randn([4, 5], rng);
    const count = () => T.matmulParallelInfo().twoThreadProducts;
    const before = count();
    expect(T.matmulParallel(a, b).values()).toEqual(T.matmul(a, b).values());
    expect(count()).toBe(before); // below PARALLEL_MIN: one thread
    await T.stopMatmulWorker();
    expect(T.matmulParallelInfo().worker).toBe('none');
    const big = T.randn([128, 128], rng);
    expect(T.matmulParallel(big, big).values()).toEqual(T.matmul(big, big).values()); // starts the worker
    expect(count()).toBe(before);
    await T.startMatmulWorker();
    expect(T.matmulParallel(big, big).values()).toEqual(T.matmul(big, big).values());
    expect(count()).toBe(before + 1);
  });

  test('shape errors name both shapes', () => {
    expect(() => T.matmulParallel(T.zeros([2, 3]), T.zeros([4, 5]))).toThrow(
      /\[2, 3\] @ \[4, 5\] \(3 vs 4\)/,
    );
    expect(() => T.matmulParallel(T.zeros([2, 3, 4]), T.zeros([4, 5]))).toThrow(T.ShapeError);
  });
});
