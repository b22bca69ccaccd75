/**
 * In-place radix-2 fast Fourier transform (Cooley and Tukey 1965) of a complex vector held as
 * two arrays: X_j = sum_k x_k exp(-2 pi i j k / n). Only used to sample stationary Gaussian
 * sequences (fgn.ts), so it is the plain iterative version: bit-reversal, then log2(n) passes.
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (im.length !== n) throw new RangeError(`fft: re has ${n} entries but im has ${im.length}`);
  if (n === 0 || (n & (n - 1)) !== 0) throw new RangeError(`fft: length must be a power of two, got ${n}`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const r = re[i];
      re[i] = re[j];
      re[j] = r;
      const m = im[i];
      im[i] = im[j];
      im[j] = m;
    }
  }
  const { cos, sin } = twiddles(n);
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const stride = n / size;
    for (let k = 0; k < half; k++) {
      // exp(-2 pi i k / size) = exp(-2 pi i (k stride) / n)
      const wr = cos[k * stride];
      const wi = sin[k * stride];
      for (let start = k; start < n; start += size) {
        const a = start;
        const b = start + half;
        const tr = wr * re[b] - wi * im[b];
        const ti = wr * im[b] + wi * re[b];
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] = re[a] + tr;
        im[a] = im[a] + ti;
      }
    }
  }
}

const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/** cos and sin of -2 pi j / n for j < n / 2, computed once per n. */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddleCache.get(n);
  if (!t) {
    t = { cos: new Float64Array(n / 2), sin: new Float64Array(n / 2) };
    for (let j = 0; j < n / 2; j++) {
      t.cos[j] = Math.cos((-2 * Math.PI * j) / n);
      t.sin[j] = Math.sin((-2 * Math.PI * j) / n);
    }
    twiddleCache.set(n, t);
  }
  return t;
}
