/**
 * How the engine behaves: accumulation over fan-out, broadcasting undone, zeros for unused
 * arguments, customVjp, noGrad, stopGradient, PyTorch-style backward(), nested transforms,
 * releasing the tape, and that gradcheck itself catches wrong rules.
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propsConfig } from '../../../test/props-config.js';
import { broadcastingTo, shapeArb, toTensor, valuesOf } from './arbitraries.js';

const arr = (v: A.Var) => Array.from(v.value.values());

describe('gradient accumulation', () => {
  it('a value used n times gets the sum of its n cotangents', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        (coefs, x) => {
          // f(x) = sum_k c_k sin(x): every term reads the same x (and the same s = sin(x)).
          const [g] = A.grad((v) => {
            const s = A.sin(v);
            return coefs.reduce((acc: A.Var, c) => A.add(acc, A.mul(s, c)), A.constant(0));
          })(x);
          const expected = coefs.reduce((a, c) => a + c, 0) * Math.cos(x);
          expect(g!.item()).toBeCloseTo(expected, 12);
        },
      ),
      propsConfig(50),
    );
  });

  it('a diamond: y = x^2, f = y + y^2 gives f\u2032 = 2x + 4x^3', () => {
    const [g] = A.grad((x) => {
      const y = A.mul(x, x);
      return A.add(y, A.mul(y, y));
    })(1.5);
    expect(g!.item()).toBeCloseTo(2 * 1.5 + 4 * 1.5 ** 3, 12);
  });

  it('the same Var passed as two arguments gets each gradient separately', () => {
    const x = T.tensor([1, 2]);
    const [gx, gy] = A.grad((a, b) => A.sum(A.mul(A.mul(a, a), b)))(x, x);
    expect(arr(gx!)).toEqual([2 * 1 * 1, 2 * 2 * 2]);
    expect(arr(gy!)).toEqual([1, 4]);
  });

  it('a chain deeper than the call stack allows for recursion', () => {
    const [g] = A.grad((x) => {
      let y = x;
      for (let i = 0; i < 20000; i++) y = A.add(y, 1e-3);
      return A.sum(y);
    })(T.tensor([1, 2]));
    expect(arr(g!)).toEqual([1, 1]);
  });
});

describe('broadcasting is undone in the engine', () => {
  it('the gradient of sum(x + y) counts how many times each entry was broadcast', () => {
    fc.assert(
      fc.property(
        shapeArb().chain((out) =>
          fc.tuple(
            fc.constant(out),
            broadcastingTo(out).chain((s) => valuesOf(s)),
            valuesOf(out),
          ),
        ),
        ([out, xd, yd]) => {
          const [gx, gy] = A.grad((x, y) => A.sum(A.mul(A.add(x, y), 3)))(toTensor(xd), toTensor(yd));
          expect(gx!.shape).toEqual(xd.shape);
          expect(gy!.shape).toEqual(yd.shape);
          const copies = out.reduce((n, d) => n * d, 1) / xd.values.length;
          for (const v of arr(gx!)) expect(v).toBe(3 * copies);
          for (const v of arr(gy!)) expect(v).toBe(3);
        },
      ),
      propsConfig(50),
    );
  });

  it('sumToShape sums added and stretched dims, and rejects shapes broadcasting cannot explain', () => {
    const g = A.constant(T.ones([4, 2, 3]));
    expect(A.sumToShape(g, [2, 1], 'test').toArray()).toEqual([[12], [12]]);
    expect(A.sumToShape(g, [3], 'test').toArray()).toEqual([8, 8, 8]);
    expect(() => A.sumToShape(g, [5, 3], 'test')).toThrow(
      /VJP of 'test' returned a cotangent of shape \[4, 2, 3\]/,
    );
  });
});

describe('unused arguments, constants, noGrad and stopGradient', () => {
  it('gradients for arguments the function ignores are zeros of their shape', () => {
    const [ga, gb, gc] = A.grad((a, _b, c) => A.sum(A.mul(a, c)))(
      T.ones([2]),
      T.ones([3, 1]),
      T.full([2], 5),
    );
    expect(arr(ga!)).toEqual([5, 5]);
    expect(gb!.shape).toEqual([3, 1]);
    expect(arr(gb!)).toEqual([0, 0, 0]);
    expect(arr(gc!)).toEqual([1, 1]);
  });

  it('a function that returns a constant has zero gradients', () => {
    const [g] = A.grad(() => A.constant(3))(T.ones([2]));
    expect(arr(g!)).toEqual([0, 0]);
  });

  it('noGrad records nothing', () => {
    const x = A.variable([1, 2]);
    const y = A.noGrad(() => A.mul(A.exp(x), 2));
    expect(y.node).toBeUndefined();
    expect(y.requiresGrad).toBe(false);
    // Inside a differentiated function, a noGrad block is a constant.
    const [g] = A.grad((v) =>
      A.add(
        A.mul(v, 3),
        A.noGrad(() => A.mul(v, v)),
      ),
    )(T.tensor(2));
    expect(g!.item()).toBe(3);
  });

  it('stopGradient / detach cut the tape', () => {
    const [g] = A.grad((v) => A.mul(v, A.stopGradient(A.mul(v, v))))(T.tensor(3));
    expect(g!.item()).toBe(9); // d/dv (v * c) with c = v^2 held constant
    const [h] = A.grad((v) => A.mul(v, v.detach()))(T.tensor(3));
    expect(h!.item()).toBe(3);
  });
});

describe('PyTorch-style backward()', () => {
  it('fills .grad on leaves and accumulates over calls', () => {
    const w = A.variable([1, -2, 3]);
    const b = A.variable(0.5);
    const loss = () => A.sum(A.square(A.add(A.mul(w, 2), b)));
    loss().backward();
    const once = arr(w.grad!);
    expect(once).toEqual([2 * 2 * 2.5, 2 * 2 * -3.5, 2 * 2 * 6.5]);
    expect(b.grad!.item()).toBe(2 * (2.5 - 3.5 + 6.5));
    loss().backward();
    expect(arr(w.grad!)).toEqual(once.map((v) => 2 * v));
  });

  it('leaves that the loss does not use keep .grad undefined', () => {
    const w = A.variable([1, 2]);
    const unused = A.variable([3]);
    A.sum(w).backward();
    expect(unused.grad).toBeUndefined();
  });

  it('needs a scalar that depends on a variable', () => {
    expect(() => A.variable([1, 2]).backward()).toThrow(/backward: needs a scalar output, got shape \[2\]/);
    expect(() => A.constant(1).backward()).toThrow(/does not depend on any variable/);
  });
});

describe('customVjp', () => {
  // x^3 with its own VJP, written in differentiable ops so that grad of grad works too.
  const cube = A.customVjp(
    (x) => A.mul(A.mul(x, x), x),
    (ct, _out, x) => [A.mul(ct, A.mul(A.square(x!), 3))],
    'cube',
  );

  it('is used in place of the primitives and passes gradcheck to second order', () => {
    const r = A.gradcheck((x) => A.sum(A.sin(cube(x))), [T.tensor([0.3, -1.2, 0.8])], { order: 2 });
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    const [g] = A.grad((x) => A.sum(cube(x)))(T.tensor([2]));
    expect(g!.toArray()).toEqual([12]);
    const d2 = A.grad((x) => A.sum(A.grad((y) => A.sum(cube(y)))(x)[0]!))(T.tensor([2]));
    expect(d2[0]!.toArray()).toEqual([12]);
  });

  it('records no tape inside its forward', () => {
    let seen: A.Var | undefined;
    const f = A.customVjp(
      (x) => (seen = A.exp(x!)),
      (ct, out) => [A.mul(ct, out)],
    );
    A.grad((x) => A.sum(f(x)))(T.tensor([1]));
    expect(seen!.node).toBeUndefined();
  });

  it('throws when its VJP returns a cotangent of the wrong shape', () => {
    const bad = A.customVjp(
      (x) => A.mul(x, 2),
      () => [T.ones([3])],
      'double',
    );
    expect(() => A.grad((x) => A.sum(bad(x)))(T.ones([2]))).toThrow(
      /double: vjp returned a cotangent of shape \[3\] for input 0 of shape \[2\]/,
    );
  });

  it('throws when its VJP returns the wrong number of cotangents', () => {
    const bad = A.customVjp(
      (x, y) => A.mul(x, y),
      (ct) => [ct],
      'product',
    );
    expect(() => A.grad((x, y) => A.sum(bad(x, y)))(T.ones([2]), T.ones([2]))).toThrow(
      /product: vjp returned 1 cotangents for 2 inputs/,
    );
  });
});

describe('nested transforms keep their variables apart', () => {
  it('d/dx [x * d/dy (x y)] = 2x (perturbation confusion, Siskind & Pearlmutter)', () => {
    const [g] = A.grad((x) => A.mul(x, A.grad((y) => A.mul(x, y))(T.tensor(1))[0]!))(T.tensor(3));
    expect(g!.item()).toBe(6);
  });

  it('an outer variable seen by an inner grad is differentiated through it', () => {
    const z = A.variable(2);
    const [g] = A.grad((x) => A.mul(A.mul(x, x), z))(T.tensor(3)); // 2 x z
    g!.backward(); // d(2 x z)/dz = 2x
    expect(g!.item()).toBe(12);
    expect(z.grad!.item()).toBe(6);
  });

  it('third derivative of sin by grad of grad of grad', () => {
    const d = (f: (x: A.Var) => A.Var) => (x: A.Var) => A.grad(f)(x)[0]!;
    const d3 = d(d(d(A.sin)));
    expect(d3(A.constant(0.7)).item()).toBeCloseTo(-Math.cos(0.7), 14);
  });

  it('hvp of a quadratic form is the matrix times the vector', () => {
    const M = T.tensor([
      [2, 1],
      [1, 3],
    ]);
    const quad = (x: A.Var) => A.mul(A.dot(x, A.matmul(M, x)), 0.5);
    const [hv] = A.hvp(quad, [T.tensor([0.3, -0.4])], [T.tensor([1, 2])]);
    expect(arr(hv!)).toEqual([4, 7]);
  });
});

describe('the tape is released after use', () => {
  it('valueAndGrad returns a value cut from its tape when nothing can differentiate it further', () => {
    const { value, grads } = A.valueAndGrad((x) => A.sum(A.exp(x)))(T.tensor([0, 1]));
    expect(value.node).toBeUndefined();
    expect(grads[0]!.node).toBeUndefined();
  });

  it('but keeps it inside an enclosing transform, which differentiates through it', () => {
    const [g] = A.grad((x) => A.valueAndGrad((y) => A.sum(A.mul(y, y)))(x).value)(T.tensor([3]));
    expect(arr(g!)).toEqual([6]);
  });
});

describe('gradcheck can fail', () => {
  it('reports a VJP that is off by a factor', () => {
    const wrong = A.customVjp(
      (x) => A.sin(x),
      (ct, _o, x) => [A.mul(ct, A.mul(A.cos(x!), 1.01))],
    );
    const r = A.gradcheck(wrong, [T.tensor([0.3, 0.5])]);
    expect(r.ok).toBe(false);
    expect(r.worst!.order).toBe(1);
    expect(() => A.assertGradcheck(wrong, [T.tensor([0.3, 0.5])])).toThrow(/gradcheck failed \(order 1\)/);
  });

  it('reports, at order 2 only, a VJP that is right but not differentiable correctly', () => {
    // x^2 whose VJP treats x as a constant: right values, wrong second derivative.
    const square = A.customVjp(
      (x) => A.mul(x, x),
      (ct, _o, x) => [A.mul(ct, T.mul(x!.value, 2))],
    );
    expect(A.gradcheck(square, [T.tensor([0.3, 0.5])]).ok).toBe(true);
    const r = A.gradcheck(square, [T.tensor([0.3, 0.5])], { order: 2 });
    expect(r.ok).toBe(false);
    expect(r.worst!.order).toBe(2);
  });
});

describe('max splits the cotangent between ties', () => {
  it('d max(x) / dx = 1/k on each of k maximal entries', () => {
    const [g] = A.grad((x) => A.max(x))(T.tensor([1, 3, 3, 2]));
    expect(arr(g!)).toEqual([0, 0.5, 0.5, 0]);
    const [h] = A.grad((x) => A.sum(A.min(x, 1)))(
      T.tensor([
        [1, 1],
        [0, 2],
      ]),
    );
    expect(arr(h!)).toEqual([0.5, 0.5, 1, 0]);
  });
});
