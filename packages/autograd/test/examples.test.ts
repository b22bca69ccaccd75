/** Runs every docs/examples/autograd-*.ts so that the documentation cannot rot. */
import { describe, expect, it } from 'vitest';
import { main as basics } from '../../../docs/examples/autograd-basics.js';
import { main as custom } from '../../../docs/examples/autograd-custom.js';
import { main as dataParallel } from '../../../docs/examples/autograd-data-parallel.js';
import { main as higherOrder } from '../../../docs/examples/autograd-higher-order.js';
import { main as tape } from '../../../docs/examples/autograd-tape.js';

const quiet = () => {};

describe('docs/examples/autograd-*', () => {
  it('basics: grad, valueAndGrad, backward, gradcheck', () => {
    const r = basics(quiet);
    expect(r.df).toBe(10);
    expect(r.db).toBeCloseTo(r.dbByHand, 14);
    expect(r.wGrad).toEqual([1, -2, 4]);
    expect(r.gradcheckOk).toBe(true);
    expect(r.trained).toBe(r.trainedPlain);
    expect(r.trained).toBeLessThan(0.6 * r.loss); // from 1.125 at zero to the least-squares floor
  });

  it('tape: the recorded primitives, and gradients with broadcasting undone', () => {
    const r = tape(quiet);
    expect(r.ops).toEqual(['mul', 'add', 'tanh', 'mul', 'sum']);
    r.dw.forEach((v, i) => {
      expect(v).toBeCloseTo(r.dwByHand[i]!, 13);
    });
    expect(r.db).toBeCloseTo(r.dbByHand, 13);
  });

  it('higher order: derivatives of sin, hvp, jvp, jacobians, no perturbation confusion', () => {
    const r = higherOrder(quiet);
    const [s, c] = [Math.sin(0.5), Math.cos(0.5)];
    [s, c, -s, -c].forEach((v, i) => {
      expect(r.derivatives[i]).toBeCloseTo(v, 14);
    });
    expect(r.hv).toEqual([3, 12, 0.75]);
    expect(r.tangent).toEqual([0.3, 0]);
    expect(r.jacobianRev).toEqual([0.3, 2, 0, Math.cos(0.3)]);
    expect(r.jacobianFwd).toEqual(r.jacobianRev);
    expect(r.confusion).toBe(1);
  });

  it('custom: a safe norm by customVjp, and the anomaly messages', () => {
    const r = custom(quiet);
    expect(r.grad[0]).toBeCloseTo(0.6, 15);
    expect(r.grad[1]).toBeCloseTo(-0.8, 15);
    expect(r.gradcheckOk).toBe(true);
    expect(r.atZero).toEqual([0, 0]);
    expect(r.plain).toMatch(/detectAnomaly/);
    expect(r.detected).toMatch(/in the VJP of 'sqrt'/);
  });

  it('data parallel: two threads give the one-thread loss and gradients, and training descends', async () => {
    const r = await dataParallel(quiet);
    expect(r.threads).toBe(2);
    expect(r.loss).toBeCloseTo(r.lossOneThread, 13);
    expect(r.gap).toBeLessThan(1e-13);
    expect(r.last).toBeLessThan(0.5 * r.first);
  });
});
