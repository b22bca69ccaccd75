import type { Rng } from '@resode/tensor';

/**
 * A random smooth function s -> theta(s) on [0, 1] with values in R^size: an approximate sample of
 * a Gaussian process with the RBF kernel exp(-(s - s')^2 / (2 l^2)) by random Fourier features
 * (Rahimi and Recht 2007),
 *
 *   theta(s) = sqrt(2 / J) sum_j cos(omega_j s + phi_j) C_j,   omega_j ~ N(0, 1 / l^2),
 *
 * phi_j uniform on [0, 2 pi), and C_j vectors of i.i.d. N(0, scale^2) entries. It is infinitely
 * differentiable in s, so weights theta_k = theta(k / L) are the "smooth" initialisation of
 * Marion et al. (2022); each entry has variance scale^2 on average over the features.
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
    this.omega = new Float64Array(J);
    this.phi = new Float64Array(J);
    for (let j = 0; j < J; j++) {
      this.omega[j] = rng.normal() / opts.lengthscale;
      this.phi[j] = 2 * Math.PI * rng.uniform();
    }
    this.coef = new Float64Array(J * size);
    for (let i = 0; i < this.coef.length; i++) this.coef[i] = opts.scale * rng.normal();
  }

  /** theta(s) written into out[offset .. offset + size). */
  evalInto(s: number, out: Float64Array, offset = 0): void {
    const J = this.omega.length;
    const n = this.size;
    out.fill(0, offset, offset + n);
    const norm = Math.sqrt(2 / J);
    for (let j = 0; j < J; j++) {
      const w = norm * Math.cos(this.omega[j] * s + this.phi[j]);
      const c = j * n;
      for (let i = 0; i < n; i++) out[offset + i] += w * this.coef[c + i];
    }
  }

  at(s: number): Float64Array {
    const out = new Float64Array(this.size);
    this.evalInto(s, out);
    return out;
  }
}
