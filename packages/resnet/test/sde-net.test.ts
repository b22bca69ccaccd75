import * as A from '@resode/autograd';
import { adam, loadDataset, SDENet, train } from '@resode/resnet';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';

const x = T.randn([4, 3], T.createRng(2));

describe('SDENet', () => {
  it('without noise it is the Euler scheme of its drift', () => {
    const m = new SDENet({ width: 3, diffusion: 0, dt: 0.25, seed: 1 });
    let h = A.constant(x);
    for (let k = 0; k < 4; k++) h = A.add(h, A.mul(m.driftAt(h), 0.25));
    expect(T.maxAbsDiff(m.forward(x).value, h.value)).toBeLessThan(1e-14);
  });

  it('a seed fixes the Brownian path; without one every pass draws a new path', () => {
    const m = new SDENet({ width: 3, diffusion: 0.5, seed: 1 });
    expect(m.forward(x, 7).toArray()).toEqual(m.forward(x, 7).toArray());
    expect(T.maxAbsDiff(m.forward(x).value, m.forward(x).value)).toBeGreaterThan(1e-3);
  });

  it('the noise has the scale it is given: Var h(1) ~ g^2 t for a zero drift', () => {
    const m = new SDENet({ width: 3, diffusion: 0.3, dt: 0.1, seed: 3 });
    for (const p of Object.values(m.drift)) p.value.data.fill(0);
    const big = T.zeros([4000, 3]);
    const y = m.forward(big, 11).value.values();
    const variance = y.reduce((s, v) => s + v * v, 0) / y.length;
    expect(Math.abs(variance - 0.09)).toBeLessThan(0.01);
  });

  it('pathwise gradients pass gradcheck (learned diffusion, fixed path)', () => {
    const m = new SDENet({
      width: 2,
      hidden: 3,
      diffusion: 'learned',
      dt: 0.25,
      seed: 4,
      method: 'milstein',
    });
    const f = (...ps: A.Var[]) => A.sum(A.square(m.withParameters(ps).forward(x.slice([null, [0, 2]]), 5)));
    const report = A.gradcheck(
      f,
      m.parameters().map((p) => p.value),
      { trials: 2 },
    );
    expect(report.ok, JSON.stringify(report.worst)).toBe(true);
  });

  it('trains on two moons', () => {
    const data = loadDataset('two-moons', { n: 400, seed: 1 });
    const m = new SDENet({ width: 6, inputDim: 2, outputDim: 2, diffusion: 0.1, dt: 0.1, seed: 0 });
    const { last } = train(m, data, {
      epochs: 30,
      batchSize: 40,
      optimizer: adam({ lr: 0.02 }),
      stopWhen: (l) => (l.testAccuracy ?? 0) >= 0.97,
    });
    expect(last.testAccuracy!).toBeGreaterThan(0.95);
  });
});
