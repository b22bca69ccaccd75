import type { Rng } from '@resode/tensor';

/**
 * A random smooth function s -> theta(s) on [0, 1] with values in R^size, defined at every s (the
 * reference ODE solver evaluates the field at times no layer sees): an approximate sample of a
 * Gaussian process with the RBF kernel exp(-(s - s')^2 / (2 l^2)) by random Fourier features
 * (Rahimi and Recht 2007),
 *
 *   theta(s) = sqrt(2 / J) sum_j cos(omega_j s + phi_j) C_j,   omega_j ~ N(0, 1 / l^2),
 *
 * phi_j uniform on [0, 2 pi), C_j vectors of i.i.d. N(0, scale^2) entries. Every derivative exists,
 * so theta_k = theta(k / L) is the smooth-in-depth weights of DESIGN.md.
 */
export class SmoothPath {
  private readonly omega: Float64Array;
  private readonly phi: Float64Array;
  private readonly coef: Float64Array;

  constructor(
    readonly size: number,
    rng: Rng,
    opts: { lengthscale: number; scale: number; features?: number },
  ) {
    const J = opts.features ?? 16;
    if (!(opts.lengthscale > 0))
      throw new RangeError(`SmoothPath: lengthscale must be > 0, got ${opts.lengthscale}`);
    this.omega = Float64Array.from({ length: J }, () => rng.normal() / opts.lengthscale);
    this.phi = Float64Array.from({ length: J }, () => 2 * Math.PI * rng.uniform());
    this.coef = Float64Array.from({ length: J * size }, () => opts.scale * rng.normal());
  }

  at(s: number): Float64Array {
    const J = this.omega.length;
    const out = new Float64Array(this.size);
    const norm = Math.sqrt(2 / J);
    for (let j = 0; j < J; j++) {
      const w = norm * Math.cos(this.omega[j] * s + this.phi[j]);
      for (let i = 0; i < this.size; i++) out[i] += w * this.coef[j * this.size + i];
    }
    return out;
  }
}
