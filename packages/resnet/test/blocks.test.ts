import * as A from '@resode/autograd';
import { ACTIVATIONS, activation, BLOCKS, fastTanh, ResNet } from '@resode/resnet';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('activations', () => {
  it('the fused loop computes sigma and sigma-prime like the autograd composite', () => {
    const z = T.tensor([-30, -3, -0.7, -1e-9, 0, 1e-9, 0.4, 2.5, 30]);
    for (const name of ACTIVATIONS) {
      const act = activation(name);
      const s = new Float64Array(z.size);
      const slope = new Float64Array(z.size);
      act.valueAndSlope(z.values(), s, slope);
      const ref = act.apply(A.constant(z)).value.values();
      const [dref] = A.grad((v) => A.sum(act.apply(v)))(z);
      for (let i = 0; i < z.size; i++) {
        expect(Math.abs(s[i]! - ref[i]!), `${name}(${z.values()[i]})`).toBeLessThanOrEqual(
          1e-15 * (1 + Math.abs(ref[i]!)),
        );
        expect(Math.abs(slope[i]! - dref!.value.values()[i]!), `${name}'`).toBeLessThanOrEqual(1e-14);
      }
    }
  });
  it('fastTanh agrees with Math.tanh to 1e-15 relative', () => {
    fc.assert(
      fc.property(fc.double({ min: -800, max: 800, noNaN: true }), (x) => {
        const want = Math.tanh(x);
        return Math.abs(fastTanh(x) - want) <= 1e-15 * Math.abs(want) + 1e-300;
      }),
      { numRuns: 2000 },
    );
  });
  it('rejects an unknown activation', () => {
    expect(() => activation('swish' as never)).toThrow(/activation must be one of/);
  });
});

describe('residual blocks', () => {
  const rng = T.createRng(3);
  const h = T.randn([5, 4], rng);

  for (const block of BLOCKS) {
    for (const name of ACTIVATIONS) {
      it(`${block} / ${name}: the fused node equals the reference and passes gradcheck`, () => {
        const model = new ResNet({
          depth: 3,
          width: 4,
          hidden: block === 'sw' ? 4 : 6,
          block,
          activation: name,
          seed: 7,
        });
        const blk = model.blocks[1]!;
        if (block === 'vswb') blk.b!.value.data.set(T.randn([6], rng).values());
        const fused = blk.f(A.constant(h)).value;
        const ref = blk.reference(A.constant(h)).value;
        expect(T.maxAbsDiff(fused, ref)).toBeLessThan(1e-14);
        // gradient in h and in every trained weight of the layer, through the whole network
        const params = model.parameters();
        const f = (x: A.Var, ...ps: A.Var[]) => A.sum(A.sin(model.withParameters(ps).forward(x)));
        const report = A.gradcheck(f, [h, ...params.map((p) => p.value)], { trials: 2, seed: 1 });
        expect(report.ok, JSON.stringify(report.worst)).toBe(true);
      });
    }
  }

  it('training steps that reuse their storage (fused nodes included) give the gradients of plain steps', () => {
    for (const block of BLOCKS) {
      const model = new ResNet({
        depth: 6,
        width: 4,
        hidden: block === 'sw' ? 4 : 6,
        block,
        activation: 'tanh',
        beta: 0.5,
        seed: 9,
      });
      const params = model.parameters().map((p) => p.value);
      const loss = (x: A.Var, ...ps: A.Var[]) => A.sum(A.square(model.withParameters(ps).forward(x)));
      const plain = A.valueAndGrad(loss);
      const reusing = A.valueAndGrad(loss, { reuseStorage: true });
      for (let i = 0; i < 3; i++) {
        const x = T.mul(h, 1 + 0.5 * i);
        const expected = plain(x, ...params);
        const got = reusing(x, ...params);
        expect(got.value.item(), block).toBe(expected.value.item());
        expect(got.grads.map((g) => Array.from(g.value.values()))).toEqual(
          expected.grads.map((g) => Array.from(g.value.values())),
        );
      }
    }
  });

  it('grad of grad through the fused node matches the reference (Hessian-vector product)', () => {
    const model = new ResNet({ depth: 2, width: 3, block: 'vswb', activation: 'tanh', seed: 2 });
    const blk = model.blocks[0]!;
    const v = T.randn([4, 3], rng);
    const x = T.randn([4, 3], rng);
    const hv = (useFused: boolean) =>
      A.hvp((y) => A.sum(A.square(useFused ? blk.f(y) : blk.reference(y))), [x], [v])[0]!.value;
    expect(T.maxAbsDiff(hv(true), hv(false))).toBeLessThan(1e-13);
    // second derivative in the weights: d/dW |d loss / dh|^2 through the fused VJP
    const second = (useFused: boolean) =>
      A.grad((...ps) => {
        const b2 = blk.withParams(ps);
        const [gh] = A.grad((y) => A.sum(A.square(useFused ? b2.f(y) : b2.reference(y))))(x);
        return A.sum(A.square(gh!));
      })(...blk.params.map((p) => p.value));
    second(true).forEach((g, i) => {
      expect(T.maxAbsDiff(g.value, second(false)[i]!.value)).toBeLessThan(1e-12);
    });
    expect(
      A.gradcheck(
        (...ps) => {
          const b2 = blk.withParams(ps);
          const [gh] = A.grad((y) => A.sum(A.square(b2.f(y))))(x);
          return A.sum(A.square(gh!));
        },
        blk.params.map((p) => p.value),
      ).ok,
    ).toBe(true);
  });

  it('the fused Euler layer equals h + alpha f(h) in value, gradient and second derivative', () => {
    for (const block of BLOCKS) {
      const model = new ResNet({ depth: 2, width: 3, block, activation: 'softplus', seed: 4 });
      const blk = model.blocks[1]!;
      const x = T.randn([4, 3], rng);
      const v = T.randn([4, 3], rng);
      const step = (y: A.Var, fused: boolean) =>
        fused ? blk.eulerStep(y, 0.3) : A.add(y, A.mul(blk.reference(y), 0.3));
      expect(T.maxAbsDiff(step(A.constant(x), true).value, step(A.constant(x), false).value)).toBeLessThan(
        1e-15,
      );
      const g = (fused: boolean) =>
        A.grad((y, ...ps) => {
          const b2 = blk.withParams(ps);
          return A.sum(A.tanh(fused ? b2.eulerStep(y, 0.3) : A.add(y, A.mul(b2.reference(y), 0.3))));
        })(x, ...blk.params.map((p) => p.value));
      g(true).forEach((gi, i) => {
        expect(T.maxAbsDiff(gi.value, g(false)[i]!.value), `${block} grad ${i}`).toBeLessThan(1e-14);
      });
      const hv = (fused: boolean) => A.hvp((y) => A.sum(A.square(step(y, fused))), [x], [v])[0]!.value;
      expect(T.maxAbsDiff(hv(true), hv(false)), `${block} hvp`).toBeLessThan(1e-13);
    }
  });

  it('gradients pass gradcheck through RK layers, trained step sizes, embedding and read-out', () => {
    for (const [scheme, stageWeights, trainAlpha] of [
      ['rk4', 'stage-times', 'per-layer'],
      ['bosh3', 'layer', 'shared'],
      ['euler', 'layer', 'shared'],
    ] as const) {
      const model = new ResNet({
        depth: 3,
        width: 3,
        hidden: 4,
        block: 'vswb',
        activation: 'tanh',
        scheme,
        stageWeights,
        trainAlpha,
        inputDim: 2,
        outputDim: 2,
        seed: 5,
      });
      const x = T.randn([4, 2], rng);
      const f = (...ps: A.Var[]) => A.sum(A.square(model.withParameters(ps).forward(x)));
      const report = A.gradcheck(
        f,
        model.parameters().map((p) => p.value),
        { trials: 2 },
      );
      expect(report.ok, `${scheme} ${JSON.stringify(report.worst)}`).toBe(true);
    }
  });

  it('withParameters rejects a wrong count or shape', () => {
    const model = new ResNet({ depth: 2, width: 3, seed: 0 });
    const ps = model.parameters();
    expect(() => model.withParameters(ps.slice(1))).toThrow(/expected 4 parameters, got 3/);
    expect(() => model.withParameters([A.constant(T.zeros([2, 2])), ...ps.slice(1)])).toThrow(
      /blocks.0.W must have shape \[3, 3\], got \[2, 2\]/,
    );
  });
});
