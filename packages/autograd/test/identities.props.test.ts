/**
 * Algebraic laws that relate the transforms to each other, on random programs (trees.ts):
 * linearity of grad, jvp against vjp, hvp against finite differences of grad, and the Jacobian
 * built from rows (VJPs) against the one built from columns (JVPs).
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propsConfig } from '../../../test/props-config.js';
import { toTensor } from './arbitraries.js';
import { evaluate, show, type Tree, treeArb, variablesArb } from './trees.js';

/** |a - b| <= tol * (1 + max(|a|, |b|)) elementwise, with a message naming the worst entry. */
function expectClose(a: T.Tensor, b: T.Tensor, tol: number, what: string): void {
  expect(a.shape).toEqual(b.shape);
  const av = a.values();
  const bv = b.values();
  for (let i = 0; i < av.length; i++) {
    const err = Math.abs(av[i]! - bv[i]!) / (1 + Math.max(Math.abs(av[i]!), Math.abs(bv[i]!)));
    if (!(err <= tol)) expect.fail(`${what}: entry ${i}: ${av[i]} vs ${bv[i]}`);
  }
}

const scalar = (tree: Tree) => {
  const f = evaluate(tree);
  return (...xs: A.Var[]) => A.sum(f(...xs));
};

const inner = (xs: readonly T.Tensor[], ys: readonly T.Tensor[]): number =>
  xs.reduce((s, x, i) => s + T.sum(T.mul(x, ys[i]!)).item(), 0);

describe('identities between the transforms', () => {
  it('grad is linear: grad(a f + b g) = a grad f + b grad g', () => {
    fc.assert(
      fc.property(
        treeArb(),
        treeArb(),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        variablesArb,
        (tf, tg, a, b, data) => {
          const xs = data.map(toTensor);
          const f = scalar(tf);
          const g = scalar(tg);
          const combined = A.grad((...v) => A.add(A.mul(f(...v), a), A.mul(g(...v), b)))(...xs);
          const gf = A.grad(f)(...xs);
          const gg = A.grad(g)(...xs);
          combined.forEach((c, i) => {
            const expected = T.add(T.mul(gf[i]!.value, a), T.mul(gg[i]!.value, b));
            expectClose(c.value, expected, 1e-11, `${show(tf)} and ${show(tg)}, argument ${i}`);
          });
        },
      ),
      propsConfig(40),
    );
  });

  it('jvp agrees with vjp: <u, J v> = <J^T u, v>', () => {
    fc.assert(
      fc.property(treeArb(), variablesArb, fc.nat(1e6), (tree, data, seed) => {
        const f = evaluate(tree);
        const xs = data.map(toTensor);
        const rng = T.createRng(seed);
        const vs = xs.map((x) => T.randn(x.shape, rng));
        const { out, tangent } = A.jvp(f, xs, vs);
        const u = T.randn(out.shape, rng);
        const viaVjp = inner(
          A.vjp(f, ...xs)
            .pullback(u)
            .map((c) => c.value),
          vs,
        );
        const viaJvp = T.sum(T.mul(tangent.value, u)).item();
        expect(Math.abs(viaJvp - viaVjp), `${show(tree)}: ${viaJvp} vs ${viaVjp}`).toBeLessThanOrEqual(
          1e-10 * (1 + Math.abs(viaVjp)),
        );
      }),
      propsConfig(40),
    );
  });

  it('hvp agrees with central differences of grad', () => {
    fc.assert(
      fc.property(treeArb(), variablesArb, fc.nat(1e6), (tree, data, seed) => {
        const f = scalar(tree);
        const xs = data.map(toTensor);
        const rng = T.createRng(seed);
        const vs = xs.map((x) => T.randn(x.shape, rng));
        const hv = A.hvp(f, xs, vs);
        const eps = 1e-5;
        const gradAt = (sign: number) => A.grad(f)(...xs.map((x, i) => T.add(x, T.mul(vs[i]!, sign * eps))));
        const plus = gradAt(1);
        const minus = gradAt(-1);
        hv.forEach((h, i) => {
          const fd = T.div(T.sub(plus[i]!.value, minus[i]!.value), 2 * eps);
          expectClose(h.value, fd, 1e-5, `${show(tree)}, argument ${i}`);
        });
      }),
      propsConfig(40),
    );
  });

  it('jacobian by rows (rev) equals jacobian by columns (fwd)', () => {
    fc.assert(
      fc.property(treeArb(), variablesArb, (tree, data) => {
        const [x0, ...rest] = data.map(toTensor);
        const f = (x: A.Var) => evaluate(tree)(x, ...rest.map((r) => A.constant(r)));
        const rev = A.jacobian(f, x0!);
        const fwd = A.jacobian(f, x0!, { mode: 'fwd' });
        const outShape = A.noGrad(() => f(A.constant(x0!))).shape;
        expect(rev.shape).toEqual([...outShape, 2, 3]);
        expectClose(rev.value, fwd.value, 1e-12, show(tree));
      }),
      propsConfig(30),
    );
  });
});
