/**
 * Milstein's scheme for Ito SDEs with diagonal noise (Milstein 1974; Kloeden and Platen 1992,
 * section 10.3):
 *
 *   y1_i = y0_i + f_i h + g_i dW_i + 1/2 g_i (dg_i/dy_i) (dW_i^2 - h).
 *
 * The correction is the Ito-Taylor term g g' I_(1,1), with the double integral
 * I_(1,1) = (dW^2 - h) / 2 known exactly for one Brownian motion. Strong order 1.
 *
 * The derivative dg_i/dy_i comes from autograd as the gradient of sum_j g_j(y). That is the
 * diagonal of the Jacobian of g only because, with diagonal noise, g_i depends on y_i alone (the
 * assumption of the scheme: otherwise the missing cross terms need Levy areas). If g_i depends
 * on other components the gradient is a column sum of the Jacobian and the scheme is wrong.
 * The gradient is computed with the tape kept when something outside is being differentiated,
 * so the step stays differentiable (grad of grad).
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import type { SdeStep } from './step.js';

export const milsteinStep: SdeStep = (sys, t0, t1, y0, dW) => {
  const h = t1 - t0;
  const f = sys.drift(t0, y0);
  const g = sys.diffusion(t0, y0);
  const dg = A.grad((y) => A.sum(sys.diffusion(t0, y)))(y0)[0]!;
  const iterated = T.mul(T.sub(T.mul(dW, dW), h), 0.5);
  return y0.add(f.mul(h)).add(sys.noise(g, dW)).add(g.mul(dg).mul(iterated));
};
