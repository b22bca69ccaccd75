import * as A from '@resode/autograd';
import {
  adam,
  cosineSchedule,
  type EpochLog,
  evaluate,
  loadDataset,
  ResNet,
  sgd,
  TrainingError,
  train,
} from '@resode/resnet';
import { describe, expect, it } from 'vitest';

describe('train', () => {
  it('a ResNet reaches > 95% test accuracy on two moons within seconds', () => {
    const data = loadDataset('two-moons', { n: 600, noise: 0.1, seed: 0 });
    const model = new ResNet({ depth: 8, width: 8, inputDim: 2, outputDim: 2, activation: 'tanh', seed: 0 });
    const before = evaluate(model, data.test);
    const start = performance.now();
    const logs: EpochLog[] = [];
    const { history, last } = train(model, data, {
      epochs: 40,
      batchSize: 32,
      optimizer: adam({ lr: 0.02 }),
      schedule: cosineSchedule({ epochs: 40 }),
      log: (l) => logs.push(l),
      stopWhen: (l) => (l.testAccuracy ?? 0) >= 0.99,
    });
    expect((performance.now() - start) / 1000).toBeLessThan(20);
    expect(last.testAccuracy!).toBeGreaterThan(0.95);
    expect(before.accuracy!).toBeLessThan(0.9);
    expect(logs).toEqual(history);
    expect(history[0]!.epoch).toBe(1);
    expect(history.every((l) => l.trainLoss > 0 && l.testLoss! > 0 && l.trainAccuracy! >= 0)).toBe(true);
    expect(history.at(-1)!.trainLoss).toBeLessThan(history[0]!.trainLoss);
    expect(history[1]!.lr).toBeLessThan(history[0]!.lr); // the cosine schedule
  });

  it('is reproducible: same seeds, same history', () => {
    const run = () => {
      const data = loadDataset('circles', { n: 200, seed: 3 });
      const model = new ResNet({ depth: 4, width: 6, inputDim: 2, outputDim: 2, seed: 1 });
      return train(model, data, {
        epochs: 3,
        optimizer: sgd({ lr: 0.1, momentum: 0.9 }),
        seed: 7,
      }).history.map(({ seconds: _, ...rest }) => rest);
    };
    expect(run()).toEqual(run());
  });

  it('L-BFGS (from @resode/adjoint) fits the teacher regression', () => {
    const data = loadDataset('teacher-regression', { n: 200, dim: 4, depth: 20, seed: 1 });
    const model = new ResNet({
      depth: 6,
      width: 4,
      activation: 'tanh',
      init: { kind: 'iid', gain: 0.1 },
      seed: 2,
    });
    const before = evaluate(model, data.test).loss;
    const { last } = train(model, data, { epochs: 3, optimizer: 'lbfgs', lbfgs: { maxIterations: 15 } });
    expect(last.testLoss!).toBeLessThan(before / 5);
  });

  it('stops with a TrainingError naming the epoch, the step and the loss when the loss is NaN', () => {
    const data = loadDataset('two-moons', { n: 100 });
    const model = new ResNet({ depth: 2, width: 4, inputDim: 2, outputDim: 2 });
    let calls = 0;
    // NaN on the third training step (evaluation runs without a tape: out.requiresGrad is false there)
    const loss = (out: A.Var) =>
      out.requiresGrad && ++calls === 3 ? A.mul(A.sum(out), Number.NaN) : A.mean(A.square(out));
    try {
      train(model, data, { epochs: 2, batchSize: 40, loss });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrainingError);
      const err = e as TrainingError;
      expect([err.epoch, err.step]).toEqual([2, 3]);
      expect(err.loss).toBeNaN();
      expect(err.message).toMatch(/the loss is NaN at epoch 2, step 3/);
    }
  });

  it('a diverging learning rate is reported, not trained through', () => {
    const data = loadDataset('two-moons', { n: 100 });
    const model = new ResNet({ depth: 3, width: 4, inputDim: 2, outputDim: 2, beta: 0 });
    expect(() => train(model, data, { epochs: 20, optimizer: sgd({ lr: 1e12 }) })).toThrow(TrainingError);
  });

  it('rejects bad options', () => {
    const data = loadDataset('two-moons', { n: 100 });
    const model = new ResNet({ depth: 2, width: 4, inputDim: 2, outputDim: 2 });
    expect(() => train(model, data, { epochs: 0 })).toThrow(/epochs must be an integer >= 1, got 0/);
    expect(() => train(model, data, { epochs: 1, loss: 'hinge' as never })).toThrow(/loss must be/);
  });
});
