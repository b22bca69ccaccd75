import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';

describe('autograd smoke', () => {
  it('grad of x^2 sum', () => {
    const [g] = A.grad((x) => A.sum(A.square(x)))(T.tensor([1, 2, 3]));
    expect(g!.toArray()).toEqual([2, 4, 6]);
  });
  it('grad of grad of x^3', () => {
    const d2 = A.grad((x) => A.grad((y) => A.sum(A.pow(y, 3)))(x)[0]!.sum())(T.tensor(2));
    expect(d2[0]!.item()).toBeCloseTo(12, 12);
  });
  it('broadcast + matmul gradcheck', () => {
    const rng = T.createRng(0);
    const W = T.randn([3, 4], rng);
    const b = T.randn([4], rng);
    const x = T.randn([5, 3], rng);
    const r = A.gradcheck(
      (w, bb, xx) =>
        A.tanh(A.add(A.matmul(xx, w), bb))
          .mul(2)
          .sum(),
      [W, b, x],
      { order: 2 },
    );
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  });
  it('jvp agrees with vjp', () => {
    const x = T.tensor([0.3, -0.7]);
    const f = (v: A.Var) => A.stack([A.sin(v).sum(), A.mul(v, v).index(1)]);
    const t = T.tensor([1, 2]);
    const { tangent } = A.jvp(f, [x], [t]);
    const J = A.jacobian(f, x);
    expect(tangent.toArray()).toEqual(A.matmul(J, t).toArray());
    const Jf = A.jacobian(f, x, { mode: 'fwd' });
    expect(T.allclose(J.value, Jf.value, { rtol: 1e-14 })).toBe(true);
  });
  it('backward fills .grad', () => {
    const w = A.variable([1, 2]);
    const loss = A.sum(A.mul(w, w));
    loss.backward();
    expect(w.grad!.toArray()).toEqual([2, 4]);
  });
});
