/**
 * The SDE dy = f(t, y) dt + g(t, y) o dW as the schemes see it: drift and diffusion with their
 * shapes checked at every call, and the product g dW for the two kinds of noise.
 *
 * - diagonal: W has the shape of y and g(t, y) too; g dW is elementwise (component i is driven
 *   by its own W_i).
 * - general: W has a shape `noiseShape` and g(t, y) has shape [...y.shape, ...noiseShape];
 *   (g dW)_i = sum_j g_ij dW_j, a contraction over the trailing noise axes.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import { fmtShape, type Tensor } from '@resode/tensor';
import { SdeError } from './errors.js';

export type Drift = (t: number, y: Var) => Var;
export type Diffusion = (t: number, y: Var) => Var;
export type NoiseType = 'diagonal' | 'general';

export class SdeSystem {
  constructor(
    private readonly f: Drift,
    private readonly g: Diffusion,
    readonly noiseType: NoiseType,
    /** Shape of W: the state's shape for diagonal noise. */
    readonly noiseShape: readonly number[],
  ) {}

  drift(t: number, y: Var): Var {
    const out = this.f(t, y);
    checkReturn(out, y.shape, 'drift f', t);
    return out;
  }

  diffusion(t: number, y: Var): Var {
    const out = this.g(t, y);
    const expected = this.noiseType === 'diagonal' ? y.shape : [...y.shape, ...this.noiseShape];
    checkReturn(out, expected, `diffusion g (${this.noiseType} noise)`, t);
    return out;
  }

  /** g dW. */
  noise(g: Var, dW: Tensor): Var {
    const product = A.mul(g, dW);
    if (this.noiseType === 'diagonal') return product;
    const k = this.noiseShape.length;
    const axes = Array.from({ length: k }, (_, i) => g.rank - k + i);
    return k === 0 ? product : A.sum(product, axes);
  }
}

function checkReturn(out: unknown, expected: readonly number[], what: string, t: number): void {
  if (!A.isVar(out)) {
    throw new SdeError(`sdeint: ${what} must return a Var, got ${typeof out} at t = ${t}`);
  }
  const ok = out.shape.length === expected.length && out.shape.every((d, i) => d === expected[i]);
  if (!ok) {
    throw new SdeError(
      `sdeint: ${what} returned shape ${fmtShape(out.shape)} at t = ${t}, expected ${fmtShape(expected)}`,
    );
  }
}
