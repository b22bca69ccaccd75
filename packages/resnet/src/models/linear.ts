import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import type { Rng } from '@resode/tensor';
import * as T from '@resode/tensor';

/** A linear layer x -> x W^T + b (rows are samples). */
export type Linear = { weight: Var; bias: Var };

/** W [out, inp] with entries N(0, 1 / inp), b = 0. */
export function linear(out: number, inp: number, rng: Rng): Linear {
  return {
    weight: A.variable(T.mul(T.randn([out, inp], rng), 1 / Math.sqrt(inp))),
    bias: A.variable(T.zeros([out])),
  };
}

export function applyLinear(l: Linear, x: Var): Var {
  return A.linear(x, l.weight, l.bias);
}

/** Named parameters of an optional layer. */
export function linearParams(prefix: string, l: Linear | undefined): [string, Var][] {
  return l
    ? [
        [`${prefix}.weight`, l.weight],
        [`${prefix}.bias`, l.bias],
      ]
    : [];
}

/** The same layer with its Vars looked up in `use`. */
export function mapLinear(l: Linear | undefined, use: (v: Var) => Var): Linear | undefined {
  return l ? { weight: use(l.weight), bias: use(l.bias) } : undefined;
}
