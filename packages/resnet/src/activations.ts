/**
 * The activation functions sigma of the residual branches, each twice: on Vars, built from
 * autograd primitives (the reference, differentiable to any order), and as one loop on plain
 * arrays that computes sigma(z) and sigma'(z) together (what the fused block kernel uses).
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import { scalarTanh } from '@resode/tensor';
import { checkOneOf } from './errors.js';

export const ACTIVATIONS = ['relu', 'tanh', 'gelu', 'softplus', 'sigmoid', 'identity'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export interface Activation {
  readonly name: ActivationName;
  /** sigma(z) on Vars, elementwise. */
  apply(z: Var): Var;
  /** s[i] = sigma(z[i]) and slope[i] = sigma'(z[i]) for every i. */
  valueAndSlope(z: Float64Array, s: Float64Array, slope: Float64Array): void;
  /** sigma(0) = 0: a zero inner weight then gives a zero branch. */
  readonly zeroAtZero: boolean;
}

// GELU, tanh approximation (Hendrycks and Gimpel 2016, eq. in section 2):
//   gelu(z) ~ z/2 (1 + tanh(c (z + a z^3))),  c = sqrt(2/pi), a = 0.044715.
// It differs from the exact z Phi(z) by less than 5e-4; we use it because it is smooth, cheap and
// built from primitives (autograd has no erf). PyTorch calls it gelu(approximate='tanh').
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

const relu: Activation = {
  name: 'relu',
  apply: A.relu,
  valueAndSlope(z, s, slope) {
    for (let i = 0; i < z.length; i++) {
      const x = z[i]!;
      // biome-ignore lint/complexity/useMathMinMax: the same expression as the tensor kernel of relu
      s[i] = x > 0 ? x : 0;
      slope[i] = x > 0 ? 1 : 0;
    }
  },
  zeroAtZero: true,
};

/**
 * tanh on one number for the fused layers: the tensor package's kernel (a table and the addition
 * formula, within 1 ulp and about 4 times faster than Math.tanh), which matters because a deep
 * tanh ResNet spends a large share of its forward pass here.
 */
export const fastTanh: (x: number) => number = scalarTanh;

const tanh: Activation = {
  name: 'tanh',
  apply: A.tanh,
  valueAndSlope(z, s, slope) {
    for (let i = 0; i < z.length; i++) {
      const t = fastTanh(z[i]!);
      s[i] = t;
      slope[i] = 1 - t * t;
    }
  },
  zeroAtZero: true,
};

const gelu: Activation = {
  name: 'gelu',
  apply: (z) => {
    const inner = A.mul(A.add(z, A.mul(A.mul(A.mul(z, z), z), GELU_A)), GELU_C);
    return A.mul(A.mul(z, 0.5), A.add(A.tanh(inner), 1));
  },
  valueAndSlope(z, s, slope) {
    for (let i = 0; i < z.length; i++) {
      const x = z[i]!;
      const t = scalarTanh(GELU_C * (x + GELU_A * x * x * x));
      s[i] = 0.5 * x * (1 + t);
      slope[i] = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * x * x);
    }
  },
  zeroAtZero: true,
};

const sigmoidOf = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

const softplus: Activation = {
  name: 'softplus',
  apply: A.softplus,
  valueAndSlope(z, s, slope) {
    for (let i = 0; i < z.length; i++) {
      const x = z[i]!;
      s[i] = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
      slope[i] = sigmoidOf(x);
    }
  },
  zeroAtZero: false,
};

const sigmoid: Activation = {
  name: 'sigmoid',
  apply: A.sigmoid,
  valueAndSlope(z, s, slope) {
    for (let i = 0; i < z.length; i++) {
      const v = sigmoidOf(z[i]!);
      s[i] = v;
      slope[i] = v * (1 - v);
    }
  },
  zeroAtZero: false,
};

const identity: Activation = {
  name: 'identity',
  apply: (z) => z,
  valueAndSlope(z, s, slope) {
    s.set(z);
    slope.fill(1);
  },
  zeroAtZero: true,
};

const TABLE: Record<ActivationName, Activation> = { relu, tanh, gelu, softplus, sigmoid, identity };

export function activation(name: ActivationName): Activation {
  return TABLE[checkOneOf('activation', name, ACTIVATIONS)];
}
