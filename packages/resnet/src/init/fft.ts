/**
 * In-place radix-2 Cooley-Tukey FFT of a complex vector stored as two Float64Arrays (real and
 * imaginary parts), length a power of two: X_j = sum_k x_k exp(-2 pi i j k / n), unnormalised.
 * Used by the Davies-Harte sampler of fractional Gaussian noise (processes.ts).
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (im.length !== n || (n & (n - 1)) !== 0) {
    throw new RangeError(`fft: needs two arrays of one power-of-two length, got ${n} and ${im.length}`);
  }
  // Bit-reversal permutation: afterwards the butterflies combine neighbours, then pairs, ...
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const angle = (-2 * Math.PI) / size;
    for (let k = 0; k < half; k++) {
      // Twiddles computed directly (not by repeated multiplication) to keep rounding at 1 ulp.
      const wr = Math.cos(angle * k);
      const wi = Math.sin(angle * k);
      for (let start = 0; start < n; start += size) {
        const a = start + k;
        const b = a + half;
        const tr = wr * re[b]! - wi * im[b]!;
        const ti = wr * im[b]! + wi * re[b]!;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
    }
  }
}
