/**
 * Bad input gets a typed error that says what was wrong and where, never a silent NaN or a wrong
 * shape further down.
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { afterEach, describe, expect, it } from 'vitest';

describe('errors', () => {
  it('grad of a non-scalar output names the shape', () => {
    const call = () => A.grad((x) => A.mul(x, 2))(T.ones([2, 3]));
    expect(call).toThrow(A.AutogradError);
    expect(call).toThrow(/grad: f must return a scalar \(size 1\), got shape \[2, 3\]/);
  });

  it('a function that does not return a Var', () => {
    expect(() => A.grad((() => 3) as unknown as A.Fn)(T.ones([1]))).toThrow(
      /the function must return a Var, got number/,
    );
  });

  it('a pullback given a cotangent of the wrong shape', () => {
    const { pullback } = A.vjp((x) => A.mul(x, 2), T.ones([2, 3]));
    expect(() => pullback(T.ones([3, 2]))).toThrow(
      /backward: cotangent of shape \[3, 2\] for an output of shape \[2, 3\]/,
    );
  });

  describe('a VJP rule returning a wrong shape', () => {
    const original = A.rules.neg.vjp;
    afterEach(() => {
      A.rules.neg.vjp = original;
    });
    it('is caught by the engine, which names the primitive and both shapes', () => {
      A.rules.neg.vjp = (g) => [A.concat([g, g])];
      expect(() => A.grad((x) => A.sum(A.neg(x)))(T.ones([2]))).toThrow(
        /VJP of 'neg' returned a cotangent of shape \[4\] for an input of shape \[2\]/,
      );
    });
  });

  it('an op on a disposed Var', () => {
    const x = A.variable([1, 2]);
    const y = A.exp(x);
    y.dispose();
    expect(y.isDisposed).toBe(true);
    expect(() => A.add(y, 1)).toThrow(A.AutogradError);
    expect(() => y.mul(2)).toThrow(/mul: this Var was disposed/);
  });

  it('a customVjp op on a disposed Var', () => {
    const double = A.customVjp(
      (x) => A.mul(x, 2),
      (ct) => [A.mul(ct, 2)],
      'double',
    );
    const x = A.variable([1]);
    x.dispose();
    expect(() => double(x)).toThrow(/double: this Var was disposed/);
  });

  it('a backward pass through a Var disposed after use', () => {
    const x = A.variable([1, 2]);
    const y = A.exp(x);
    const z = A.sum(y);
    y.dispose();
    expect(() => z.backward()).toThrow(/the graph passes through a disposed Var of shape \[2\]/);
  });

  it('a foreign value given to an op', () => {
    expect(() => A.add({ a: 1 } as unknown as A.Var, 1)).toThrow(A.AutogradError);
    expect(() => A.add({ a: 1 } as unknown as A.Var, 1)).toThrow(
      /expected a Var, Tensor, number or nested array, got Object/,
    );
    expect(() => A.exp('x' as unknown as A.Var)).toThrow(/got string/);
    expect(() => A.mul(A.variable(1), null as unknown as A.Var)).toThrow(/got null/);
    expect(() => A.grad((x) => A.sum(x))(undefined as unknown as A.Var)).toThrow(/got undefined/);
  });

  it('jvp with a tangent of the wrong shape or count', () => {
    expect(() => A.jvp((x) => A.sin(x), [T.ones([2])], [T.ones([3])])).toThrow(
      /jvp: tangent 0 has shape \[3\], input has \[2\]/,
    );
    expect(() => A.jvp((x) => A.sin(x), [T.ones([2])], [])).toThrow(/jvp: 1 inputs but 0 tangents/);
  });
});

describe('NaN in a backward pass', () => {
  // sqrt at 0: the value is finite (0) but its VJP divides by 2 sqrt(0) = 0.
  const f = (x: A.Var) => A.sum(A.sqrt(x));
  const x = T.tensor([4, 0, 1]);

  it('with detectAnomaly, an AnomalyError names the primitive whose VJP made it', () => {
    const call = () => A.detectAnomaly(() => A.grad(f)(x));
    expect(call).toThrow(A.AnomalyError);
    expect(call).toThrow(/'div' in the VJP of 'sqrt' produced a non-finite value from finite inputs/);
  });

  it('with detectAnomaly, a non-finite forward value from finite inputs names the primitive', () => {
    expect(() => A.detectAnomaly(() => A.log(A.variable([-1, 2])))).toThrow(
      /forward of 'log' produced a non-finite value from finite inputs of shapes \[2\]/,
    );
    // A custom forward computed on plain Tensors is checked as one primitive.
    const logOf = A.customVjp(
      (x) => T.log(x.value),
      (ct, _o, x) => [A.div(ct, x!)],
      'myLog',
    );
    expect(() => A.detectAnomaly(() => logOf(A.variable([-1])))).toThrow(/forward of 'myLog'/);
    // Non-finite inputs are not the primitive's fault.
    expect(() => A.detectAnomaly(() => A.exp(A.variable([Number.NaN])))).not.toThrow();
  });

  it('without detectAnomaly, grad throws an AnomalyError that suggests it', () => {
    const call = () => A.grad(f)(x);
    expect(call).toThrow(A.AnomalyError);
    expect(call).toThrow(/gradient for argument 0 \(shape \[3\]\) contains NaN or Infinity.*detectAnomaly/);
    expect(() => A.valueAndGrad(f)(x)).toThrow(A.AnomalyError);
    expect(() => A.vjp((v) => A.sqrt(v), x).pullback(T.ones([3]))).toThrow(A.AnomalyError);
  });

  it('and so does backward()', () => {
    const v = A.variable([4, 0]);
    expect(() => A.sum(A.sqrt(v)).backward()).toThrow(/backward: the gradient for argument 0/);
  });

  it('but a NaN that comes from the inputs is passed through, as the math says', () => {
    const [g] = A.grad((v) => A.sum(A.mul(v, 2)))(T.tensor([Number.NaN, 1]));
    expect(Number.isNaN(g!.value.get(0))).toBe(false); // d(2v)/dv = 2 does not depend on v
    const [h] = A.grad((v) => A.sum(A.mul(v, v)))(T.tensor([Number.NaN, 1]));
    expect(Number.isNaN(h!.value.get(0))).toBe(true);
  });
});
