import { msa, pmpSweep } from '@resode/adjoint';
import * as A from '@resode/autograd';
import { ConfigError, evaluate, loadDataset, ResNet } from '@resode/resnet';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';

describe('a ResNet as a control problem (@resode/adjoint)', () => {
  it('the PMP gradient -alpha dH/dtheta_k is the backprop gradient of the ResNet', () => {
    const model = new ResNet({ depth: 5, width: 3, activation: 'tanh', seed: 1 });
    const x0 = T.randn([6, 3], T.createRng(2));
    const y = T.randn([6, 3], T.createRng(3));
    const loss = (h: A.Var) => A.mse(h, y);
    const { problem, controls } = model.controlProblem(loss);
    const sweep = pmpSweep(problem, x0, controls);
    const grads = A.grad((...ps) => loss(model.withParameters(ps).forward(x0)))(...model.parameters());
    expect(sweep.cost).toBeCloseTo(loss(model.forward(x0)).item(), 14);
    sweep.gradients.forEach((layer, k) => {
      layer.forEach((g, i) => {
        expect(T.maxAbsDiff(g, grads[2 * k + i]!.value)).toBeLessThan(1e-13);
      });
    });
  });

  it('extended MSA trains the residual layers of a ResNet on the teacher task', () => {
    const data = loadDataset('teacher-regression', { n: 120, dim: 3, depth: 10, seed: 0 });
    const model = new ResNet({
      depth: 6,
      width: 3,
      activation: 'tanh',
      init: { kind: 'iid', gain: 0.1 },
      seed: 0,
    });
    const terminal = (h: A.Var) => A.mse(h, data.train.y);
    const before = evaluate(model, data.train).loss;
    const { problem, controls } = model.controlProblem(terminal);
    const result = msa(problem, model.embed(data.train.x).value, controls, {
      iterations: 8,
      rho: 10,
      maximizer: { method: 'lbfgs', maxIterations: 5 },
    });
    model.setControls(result.controls);
    // the ResNet with the MSA's controls computes the cost MSA reports
    expect(evaluate(model, data.train).loss).toBeCloseTo(result.costs.at(-1)!, 12);
    expect(result.costs.at(-1)!).toBeLessThan(before / 20);
  });

  it('needs Euler and a fixed alpha; setControls checks shapes', () => {
    const rk = new ResNet({ depth: 2, width: 2, scheme: 'rk4' });
    expect(() => rk.controlProblem((h) => A.sum(h))).toThrow(ConfigError);
    const m = new ResNet({ depth: 2, width: 2 });
    expect(() =>
      m.setControls([
        [T.zeros([2, 2]), T.zeros([2, 3])],
        [T.zeros([2, 2]), T.zeros([2, 2])],
      ]),
    ).toThrow(/theta 0.1 must have shape \[2, 2\], got \[2, 3\]/);
  });
});
