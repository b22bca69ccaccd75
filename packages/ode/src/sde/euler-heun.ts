/**
 * The stochastic Heun scheme, for Stratonovich SDEs dy = f dt + g o dW (Rumelin 1982; Kloeden and
 * Platen 1992, section 11.1; torchsde's 'euler_heun'):
 *
 *   y' = y0 + g(t0, y0) dW
 *   y1 = y0 + f(t0, y0) h + 1/2 (g(t0, y0) + g(t1, y')) dW.
 *
 * Averaging g over both ends is the trapezoidal rule, whose limit is the Stratonovich
 * (midpoint) integral. Strong order 1/2 in general, 1 for commutative noise (diagonal noise,
 * one Brownian motion), where the average reproduces the Stratonovich Milstein term
 * 1/2 g g' dW^2.
 */
import type { SdeStep } from './step.js';

export const eulerHeunStep: SdeStep = (sys, t0, t1, y0, dW) => {
  const f = sys.drift(t0, y0);
  const g0 = sys.diffusion(t0, y0);
  const yPredicted = y0.add(sys.noise(g0, dW));
  const g1 = sys.diffusion(t1, yPredicted);
  return y0.add(f.mul(t1 - t0)).add(sys.noise(g0.add(g1).mul(0.5), dW));
};
