import type { Rng } from '@resode/tensor';
import { fft } from './fft.js';

/**
 * Fractional Gaussian noise: the increments of a fractional Brownian motion of Hurst index H, a
 * stationary Gaussian sequence with unit variance and autocovariance
 *
 *   gamma(k) = (|k + 1|^{2H} - 2 |k|^{2H} + |k - 1|^{2H}) / 2.
 *
 * H = 1/2 is white noise; H > 1/2 positively correlated (smoother paths), H < 1/2 negatively
 * correlated (rougher). Sampled exactly by circulant embedding (Davies and Harte 1987; Wood and
 * Chan 1994): the covariance is embedded in a circulant matrix of size 2m, whose eigenvalues are
 * the FFT of its first row and are non-negative for fGn at every H (Craigmile 2003). One complex
 * FFT of sqrt(eigenvalues / 2m) times complex white noise gives two independent sequences: its real
 * and imaginary parts.
 */
export function fgnAutocovariance(hurst: number, k: number): number {
  const p = 2 * hurst;
  return 0.5 * (Math.abs(k + 1) ** p - 2 * Math.abs(k) ** p + Math.abs(k - 1) ** p);
}

/** Draws fractional Gaussian noise sequences of one length and Hurst index. */
export class FgnSampler {
  private readonly sqrtEig: Float64Array;
  private spare: Float64Array | undefined;

  constructor(
    readonly length: number,
    readonly hurst: number,
  ) {
    if (!(hurst > 0 && hurst < 1)) throw new RangeError(`fgn: Hurst index must be in (0, 1), got ${hurst}`);
    if (!(Number.isInteger(length) && length >= 1))
      throw new RangeError(`fgn: length must be a positive integer, got ${length}`);
    let m = 1;
    while (m < length) m <<= 1;
    const n = 2 * m;
    // First row of the circulant embedding: gamma(0..m), then gamma(m-1..1).
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let k = 0; k <= m; k++) re[k] = fgnAutocovariance(hurst, k);
    for (let k = m + 1; k < n; k++) re[k] = re[n - k];
    fft(re, im);
    this.sqrtEig = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // Eigenvalues are real and >= 0 in exact arithmetic; clip round-off below zero.
      if (re[k] < -1e-8 * n) throw new Error(`fgn: negative circulant eigenvalue ${re[k]} (H = ${hurst})`);
      this.sqrtEig[k] = Math.sqrt(Math.max(re[k], 0) / n);
    }
  }

  /** A fresh sequence of `length` samples (unit variance). */
  sample(rng: Rng): Float64Array {
    if (this.spare) {
      const out = this.spare;
      this.spare = undefined;
      return out;
    }
    const n = this.sqrtEig.length;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      re[k] = this.sqrtEig[k] * rng.normal();
      im[k] = this.sqrtEig[k] * rng.normal();
    }
    fft(re, im);
    this.spare = im.slice(0, this.length);
    return re.slice(0, this.length);
  }
}
