import * as A from '@resode/autograd';
import {
  adam,
  loadDataset,
  NeuralODE,
  type NeuralOdeOptions,
  type TimeDependence,
  train,
} from '@resode/resnet';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';

const x = T.randn([5, 2], T.createRng(1));

function gradients(o: NeuralOdeOptions): T.Tensor[] {
  const m = new NeuralODE(o);
  const loss = A.sum(A.sin(m.forward(x)));
  loss.backward();
  return m.parameters().map((p) => p.grad!.value);
}

describe('NeuralODE', () => {
  const times: TimeDependence[] = ['none', 'concat', { knots: 3 }];
  for (const time of times) {
    it(`gradients agree across backprop, checkpoint and adjoint (time ${JSON.stringify(time)})`, () => {
      const base = { width: 3, inputDim: 2, outputDim: 2, field: { hidden: 6, time }, seed: 3 };
      const solver = { rtol: 1e-10, atol: 1e-10 };
      const [bp, cp, adj] = (['backprop', 'checkpoint', 'adjoint'] as const).map((gradient) =>
        gradients({ ...base, gradient, solver }),
      );
      bp!.forEach((g, i) => {
        const scale = 1 + T.max(T.abs(g)).item();
        expect(T.maxAbsDiff(g, cp![i]!)).toBeLessThan(1e-12 * scale);
        expect(T.maxAbsDiff(g, adj![i]!)).toBeLessThan(1e-7 * scale);
      });
    });
  }

  it('backprop gradients pass gradcheck (fixed-step RK4, time-dependent weights)', () => {
    const m = new NeuralODE({
      width: 2,
      field: { hidden: 4, time: { knots: 3 }, activation: 'softplus' },
      solver: { method: 'rk4', stepSize: 0.125 },
      seed: 5,
    });
    const f = (h: A.Var, ...ps: A.Var[]) => A.sum(A.square(m.withParameters(ps).forward(h)));
    const report = A.gradcheck(f, [x, ...m.parameters().map((p) => p.value)], { trials: 2 });
    expect(report.ok, JSON.stringify(report.worst)).toBe(true);
  });

  it('reaches > 95% test accuracy on two spirals within seconds', () => {
    const data = loadDataset('spirals', { n: 600, seed: 0 });
    const model = new NeuralODE({ width: 6, inputDim: 2, outputDim: 2, field: { hidden: 32 }, seed: 0 });
    const start = performance.now();
    const { last } = train(model, data, {
      epochs: 60,
      batchSize: 64,
      optimizer: adam({ lr: 0.02 }),
      stopWhen: (l) => (l.testAccuracy ?? 0) >= 0.97,
    });
    expect((performance.now() - start) / 1000).toBeLessThan(20);
    expect(last.testAccuracy!).toBeGreaterThan(0.95);
    expect(model.stats.nfeForward).toBeGreaterThan(0);
  });

  it('a custom field: trajectory of dh/dt = -k h is exp(-k t) h0', () => {
    const k = A.variable(0.7);
    const m = new NeuralODE({
      width: 2,
      field: { fn: (_t, h, [kk]) => A.mul(A.neg(kk!), h), params: [k] },
      solver: { rtol: 1e-10, atol: 1e-12 },
      gradient: 'adjoint',
    });
    const ts = [0, 0.5, 1];
    const traj = m.trajectory(x, ts);
    expect(traj.shape).toEqual([3, 5, 2]);
    ts.forEach((t, i) => {
      expect(T.maxAbsDiff(A.index(traj, i).value, T.mul(x, Math.exp(-0.7 * t)))).toBeLessThan(1e-8);
    });
    // d/dk sum h(1) = -sum h0 exp(-k)
    A.sum(m.forward(x)).backward();
    expect(k.grad!.item()).toBeCloseTo(-T.sum(x).item() * Math.exp(-0.7), 7);
    expect(m.options).toBeUndefined();
  });

  it('rejects bad options and inputs clearly', () => {
    expect(() => new NeuralODE({ width: 2, gradient: 'magic' as never })).toThrow(
      /gradient must be one of 'backprop'/,
    );
    expect(() => new NeuralODE({ width: 2, field: { time: { knots: 1 } } })).toThrow(
      /knots must be an integer >= 2/,
    );
    expect(() => new NeuralODE({ width: 2, field: { time: 'later' as never } })).toThrow(
      /field.time must be one of/,
    );
    const m = new NeuralODE({ width: 3 });
    expect(() => m.forward(x)).toThrow(/expected inputs of shape \[batch, 3\], got \[5, 2\]/);
  });
});
