/**
 * The inputs of W1-W3 for every peer: mulberry32 (a tiny 32-bit generator) with one Box-Muller pair
 * per normal entry, bit-identical to `mulberry32` in bench/peers/torch_bench.py, so that resode,
 * TensorFlow.js and PyTorch compute on the same numbers and their losses can be compared.
 * Values are plain number arrays in row-major order; each peer wraps them in its own tensor type.
 */

/** Uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, n) => p * n, 1);
}

/** n entries of N(0, std^2), one Box-Muller pair (cosine branch) per entry. */
export function normalValues(rng: () => number, n: number, std = 1): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = rng();
    const u2 = rng();
    v[i] = std * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
  return v;
}

/** n entries of U(-bound, bound). */
export function uniformValues(rng: () => number, n: number, bound: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = bound * (2 * rng() - 1);
  return v;
}
