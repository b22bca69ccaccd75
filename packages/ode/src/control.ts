/**
 * Step-size control, on values only (nothing here is recorded on the tape).
 *
 * Error norm (Hairer, Norsett, Wanner, Solving ODEs I, II.4, eq. (4.11)): with the scale
 * sc_i = atol + rtol max(|y0_i|, |y1_i|), the step is accepted when
 *   ||err|| = sqrt( mean_i (err_i / sc_i)^2 ) <= 1.
 * The norm is a parameter: the adjoint's seminorm (Kidger, Chen, Lyons 2021) is an RMS over part
 * of the state only.
 *
 * Controller: the PI controller of Gustafsson (1991) / Soederlind (2002), in diffrax's
 * parametrisation. With k = (order of the error estimate) + 1, the new step is
 *   h_{n+1} = h_n * safety * e_n^(-(icoeff + pcoeff) / k) * e_{n-1}^(pcoeff / k),
 * clipped to [factorMin, factorMax] (and to <= 1 after a rejection). pcoeff = 0, icoeff = 1 is the
 * classical I controller h * 0.9 * e^(-1/k) (the default); pcoeff = 0.3, icoeff = 0.4 is a PI
 * controller with smoother step sequences.
 */

import { noGrad, toVar } from '@resode/autograd';
import { Tensor } from '@resode/tensor';
import type { Field } from './field.js';
import type { Norm } from './stepper.js';

/** Root mean square of the entries (0 for an empty tensor): the default norm. */
export const rmsNorm: Norm = (ratio) => {
  const v = ratio.values();
  if (v.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s / v.length);
};

/** The ratio err_i / (atol + rtol max(|y0_i|, |y1_i|)), elementwise. */
export function errorRatio(err: Tensor, y0: Tensor, y1: Tensor, rtol: number, atol: number): Tensor {
  const e = err.values();
  const a = y0.values();
  const b = y1.values();
  const out = new Float64Array(e.length);
  for (let i = 0; i < e.length; i++) {
    out[i] = e[i]! / (atol + rtol * Math.max(Math.abs(a[i]!), Math.abs(b[i]!)));
  }
  return Tensor.view(out, err.shape);
}

export type ControllerOptions = {
  pcoeff: number;
  icoeff: number;
  safety: number;
  factorMin: number;
  factorMax: number;
};

export const defaultController: ControllerOptions = {
  pcoeff: 0,
  icoeff: 1,
  safety: 0.9,
  factorMin: 0.2,
  factorMax: 10,
};

/**
 * A PI step-size controller. `propose(h, e, accepted)` returns the next step size after a step of
 * size h with error norm e; it remembers the last accepted error norm (the "P" memory).
 */
export class PIController {
  private readonly k: number;
  private previous = 1;
  readonly options: ControllerOptions;

  /** errorOrder: the order of the embedded error estimate (its local error is O(h^(errorOrder + 1))). */
  constructor(errorOrder: number, options: Partial<ControllerOptions> = {}) {
    this.options = { ...defaultController, ...options };
    this.k = errorOrder + 1;
  }

  propose(h: number, e: number, accepted: boolean): number {
    const { pcoeff, icoeff, safety, factorMin, factorMax } = this.options;
    let factor: number;
    if (!Number.isFinite(e)) factor = factorMin;
    else if (e === 0) factor = factorMax;
    else {
      factor = safety * e ** (-(icoeff + pcoeff) / this.k) * this.previous ** (pcoeff / this.k);
      factor = Math.min(factorMax, Math.max(factorMin, factor));
    }
    if (accepted) this.previous = Math.max(e, 1e-4);
    else factor = Math.min(1, factor);
    return h * factor;
  }
}

/**
 * The initial step size of Hairer, Norsett, Wanner (Solving ODEs I, II.4, p. 169): balance an
 * Euler step's size against the scale of y and f, then against an estimate of the second
 * derivative, so that the first step's local error is about the tolerance. One extra evaluation
 * of f, under noGrad. `direction` is +1 or -1, `order` the order of the method.
 */
export function initialStep(
  f: Field,
  t0: number,
  y0: Tensor,
  f0: Tensor,
  direction: number,
  order: number,
  rtol: number,
  atol: number,
  norm: Norm,
): number {
  const scaled = (x: Tensor) => errorRatio(x, y0, y0, rtol, atol);
  const d0 = norm(scaled(y0));
  const d1 = norm(scaled(f0));
  const h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  const yv = y0.values();
  const fv = f0.values();
  const y1 = new Float64Array(yv.length);
  for (let i = 0; i < y1.length; i++) y1[i] = yv[i]! + direction * h0 * fv[i]!;
  const f1 = noGrad(() => f(t0 + direction * h0, toVar(Tensor.view(y1, y0.shape)))).value.values();
  const df = new Float64Array(fv.length);
  for (let i = 0; i < df.length; i++) df[i] = (f1[i]! - fv[i]!) / h0;
  const d2 = norm(scaled(Tensor.view(df, y0.shape)));
  const dmax = Math.max(d1, d2);
  const h1 = dmax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / dmax) ** (1 / (order + 1));
  return Math.min(100 * h0, h1);
}
