import * as A from '@resode/autograd';
import { adam, cosineSchedule, exponentialSchedule, sgd, stepSchedule } from '@resode/resnet';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('optimisers', () => {
  it('SGD with momentum follows v <- mu v + g, x <- x - lr v', () => {
    const p = A.variable([1, -2]);
    const opt = sgd({ lr: 0.1, momentum: 0.9 });
    opt.step([p], [T.tensor([1, 1])]);
    expect(p.toArray()).toEqual([1 - 0.1, -2 - 0.1]);
    opt.step([p], [T.tensor([2, 0])]);
    // v = 0.9 * 1 + 2 = 2.9 and 0.9 * 1 + 0 = 0.9
    expect((p.toArray() as number[])[0]).toBeCloseTo(0.9 - 0.29, 15);
    expect((p.toArray() as number[])[1]).toBeCloseTo(-2.1 - 0.09, 15);
  });

  it("Adam's first step is lr g / (|g| + eps) whatever the scale of g", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.boolean(), (g, neg) => {
        const p = A.variable([0.5]);
        adam({ lr: 0.01 }).step([p], [T.tensor([neg ? -g : g])]);
        const want = 0.5 - (0.01 * (neg ? -g : g)) / (g + 1e-8);
        return Math.abs(p.item() - want) < 1e-15;
      }),
      { numRuns: 50 },
    );
  });

  it('both minimise a quadratic', () => {
    for (const opt of [
      sgd({ lr: 0.05, momentum: 0.9 }),
      sgd({ lr: 0.05, momentum: 0.9, nesterov: true }),
      adam({ lr: 0.05 }),
    ]) {
      const p = A.variable([3, -4, 1]);
      const target = T.tensor([1, 2, 3]);
      for (let i = 0; i < 400; i++) {
        const [g] = A.grad((x) => A.sum(A.square(A.sub(x, target))))(p.value);
        opt.step([p], [g!]);
      }
      expect(T.maxAbsDiff(p.value, target), opt.name).toBeLessThan(1e-3);
    }
  });

  it('reject bad input clearly', () => {
    expect(() => sgd({ lr: -1 })).toThrow(/sgd: lr must be a finite positive number, got -1/);
    const p = A.variable([1, 2]);
    expect(() => adam().step([p], [T.tensor([1, 2, 3])])).toThrow(
      /gradient of shape \[3\] for a parameter of shape \[2\]/,
    );
    expect(() => adam().step([p], [])).toThrow(/1 parameters but 0 gradients/);
  });
});

describe('learning-rate schedules', () => {
  it('step, cosine and exponential factors', () => {
    const s = stepSchedule({ every: 10, gamma: 0.5 });
    expect([0, 9, 10, 25].map(s)).toEqual([1, 1, 0.5, 0.25]);
    const c = cosineSchedule({ epochs: 10, minFactor: 0.1 });
    expect(c(0)).toBe(1);
    expect(c(5)).toBeCloseTo(0.55, 15);
    expect(c(10)).toBeCloseTo(0.1, 15);
    expect(c(20)).toBeCloseTo(0.1, 15);
    const e = exponentialSchedule({ gamma: 0.9 });
    expect(e(2)).toBeCloseTo(0.81, 15);
  });
});
