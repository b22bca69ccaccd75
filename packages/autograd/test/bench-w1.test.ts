/** The W1 benchmark computes the same loss as the PyTorch and TensorFlow.js peers (bench/peers). */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';
import { mulberry32, portableNormal } from '../../../bench/portable-tensors.js';
import { w1Loss, w1Resode } from '../../../bench/w1.js';

describe('bench/w1.ts', () => {
  it('reproduces the peers check value 11.41696358', () => {
    expect(w1Resode()()).toBeCloseTo(11.41696358, 8);
  });

  it('its gradients pass gradcheck on a shallow version', () => {
    const rng = mulberry32(3);
    const L = 3;
    const h0 = portableNormal(rng, [4, 2]);
    const weights = Array.from({ length: 2 * L }, () => portableNormal(rng, [2, 2], 0.7));
    const report = A.gradcheck(w1Loss(h0, L), weights);
    expect(report.ok, JSON.stringify(report.worst)).toBe(true);
    expect(T.sum(A.grad(w1Loss(h0, L))(...weights)[0]!.value).item()).not.toBe(0);
  });
});
