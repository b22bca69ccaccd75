/** The W1 benchmark computes the same loss as the PyTorch and TensorFlow.js peers (bench/peers). */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';
import { w1Loss } from '../../../bench/losses.js';
import { mulberry32, portableNormal } from '../../../bench/portable-tensors.js';
import { w1Resode, w1ResodeParallel } from '../../../bench/w1.js';

describe('bench/w1.ts', () => {
  it('reproduces the peers check value 11.41696358', () => {
    expect(w1Resode()()).toBeCloseTo(11.41696358, 8);
  });

  it('on two threads (dataParallel) too', async () => {
    const parallel = await w1ResodeParallel(2);
    try {
      expect(parallel.threads).toBe(2);
      expect(parallel.run()).toBeCloseTo(11.41696358, 8);
    } finally {
      await parallel.close();
    }
  });

  it('its gradients pass gradcheck on a shallow version', () => {
    const rng = mulberry32(3);
    const L = 3;
    const h0 = portableNormal(rng, [4, 2]);
    const weights = Array.from({ length: 2 * L }, () => portableNormal(rng, [2, 2], 0.7));
    const report = A.gradcheck(w1Loss, [h0, ...weights]);
    expect(report.ok, JSON.stringify(report.worst)).toBe(true);
    expect(T.sum(A.grad(w1Loss)(h0, ...weights)[1]!.value).item()).not.toBe(0);
  });
});
