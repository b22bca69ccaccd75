/**
 * Euler-Maruyama, the Ito scheme (Maruyama 1955; Kloeden and Platen 1992, section 10.2):
 *
 *   y1 = y0 + f(t0, y0) h + g(t0, y0) dW,        dW = W(t1) - W(t0), h = t1 - t0.
 *
 * Strong order 1/2, weak order 1. Evaluating g at the left end is what makes the limit Ito.
 */
import type { SdeStep } from './step.js';

export const eulerMaruyamaStep: SdeStep = (sys, t0, t1, y0, dW) => {
  const f = sys.drift(t0, y0);
  const g = sys.diffusion(t0, y0);
  return y0.add(f.mul(t1 - t0)).add(sys.noise(g, dW));
};
