/**
 * Random processes in depth. A ResNet's weights theta_k, read as a function of s = k / L, can be
 * drawn independently per layer or as the values of a path s -> theta(s); the regularity of that
 * path decides the depth limit (DESIGN.md, "The mathematics"). Each sampler here returns
 * `entries` independent unit-variance paths observed at `times` (row t, column e of the result is
 * path e at times[t]); the initialisers scale them to the variance of each weight matrix.
 */

import type { Rng } from '@resode/tensor';
import * as T from '@resode/tensor';
import { ConfigError } from '../errors.js';
import { fft } from './fft.js';

export type DepthProcess =
  /** Independent across layers (the classic initialisation). */
  | { kind: 'iid'; distribution: 'gaussian' | 'uniform' }
  /** A Gaussian process with the RBF kernel exp(-(s - t)^2 / (2 lengthscale^2)): C-infinity paths. */
  | { kind: 'smooth'; lengthscale: number }
  /** theta(0) ~ N(0, 1) plus a Brownian motion: Hoelder-1/2 paths, a scaled random walk in k. */
  | { kind: 'brownian' }
  /** Fractional Gaussian noise of Hurst index H on a uniform grid (H = 1/2: i.i.d. Gaussian). */
  | { kind: 'fbm'; hurst: number };

export function samplePaths(
  p: DepthProcess,
  times: readonly number[],
  entries: number,
  rng: Rng,
): Float64Array {
  switch (p.kind) {
    case 'iid':
      return iid(p.distribution, times.length * entries, rng);
    case 'smooth':
      return smoothPaths(p.lengthscale, times, entries, rng);
    case 'brownian':
      return brownianPaths(times, entries, rng);
    case 'fbm':
      return fgnPaths(p.hurst, times, entries, rng);
  }
}

/** 32-bit draws are made this many at a time into `drawScratch`, then scaled into the output. */
const DRAW_CHUNK = 4096;
const drawScratch = new Uint32Array(DRAW_CHUNK);

/**
 * n independent entries of variance scale^2 (each a unit-variance draw times `scale`, the same
 * numbers as scaling afterwards, in one pass), written into `storage` when it has length n: a sweep
 * that draws network after network of one size reuses one array (fresh storage of tens of
 * megabytes costs more in page faults than the draws themselves).
 */
export function iid(
  distribution: 'gaussian' | 'uniform',
  n: number,
  rng: Rng,
  scale = 1,
  storage?: Float64Array,
): Float64Array {
  const out = storage?.length === n ? storage : new Float64Array(n);
  if (distribution === 'gaussian') for (let i = 0; i < n; i++) out[i] = rng.normal() * scale;
  else {
    // Uniform on [-sqrt 3, sqrt 3] (variance 1), from one 32-bit draw per entry (u = (x + 1/2) / 2^32
    // has 32 bits of resolution, plenty for a weight; half the cost of a 53-bit double). Times
    // 2^-32 rather than divided by 2^32: the same number (a power of two), without a division.
    const r = Math.sqrt(3);
    for (let start = 0; start < n; start += DRAW_CHUNK) {
      const bits = rng.fillUint32(n - start >= DRAW_CHUNK ? drawScratch : drawScratch.subarray(0, n - start));
      for (let i = 0; i < bits.length; i++)
        out[start + i] = r * ((bits[i]! + 0.5) * 2 ** -32 * 2 - 1) * scale;
    }
  }
  return out;
}

// ---- smooth: an RBF Gaussian process by a pivoted Cholesky factor -----------------------------

/**
 * A low-rank factor G (n x r, row-major) with G G^T ~ K for the kernel matrix K_ij = k(i, j),
 * by the pivoted Cholesky decomposition (Harbrecht, Peters, Schneider 2012): at each step take
 * the point whose variance is worst explained so far, stop when every diagonal residual is below
 * `tol`. The RBF kernel matrix on a fine grid is numerically singular (a plain Cholesky fails),
 * and its eigenvalues fall off so fast that r stays small (about 40 for lengthscale 0.1).
 */
export function pivotedCholesky(
  n: number,
  kernel: (i: number, j: number) => number,
  tol = 1e-13,
): { factor: Float64Array; rank: number } {
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = kernel(i, i);
  const columns: Float64Array[] = [];
  while (columns.length < n) {
    let p = 0;
    for (let i = 1; i < n; i++) if (residual[i]! > residual[p]!) p = i;
    if (residual[p]! <= tol) break;
    const pivot = Math.sqrt(residual[p]!);
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = kernel(i, p);
      for (let l = 0; l < columns.length; l++) v -= columns[l]![i]! * columns[l]![p]!;
      col[i] = v / pivot;
    }
    for (let i = 0; i < n; i++) residual[i] = Math.max(0, residual[i]! - col[i]! * col[i]!);
    residual[p] = 0; // exactly explained now (col[p] = pivot); also guards against rounding
    columns.push(col);
  }
  const r = columns.length;
  const factor = new Float64Array(n * r);
  for (let l = 0; l < r; l++) for (let i = 0; i < n; i++) factor[i * r + l] = columns[l]![i]!;
  return { factor, rank: r };
}

/** The last factor computed: a sweep draws many networks on the same grid. */
let lastFactor: { key: string; factor: Float64Array; rank: number } | undefined;

function smoothPaths(lengthscale: number, times: readonly number[], entries: number, rng: Rng): Float64Array {
  const n = times.length;
  const key = `${lengthscale}:${times.join(',')}`;
  if (lastFactor?.key !== key) {
    const two = 2 * lengthscale * lengthscale;
    const f = pivotedCholesky(n, (i, j) => Math.exp(-((times[i]! - times[j]!) ** 2) / two));
    lastFactor = { key, ...f };
  }
  const { factor, rank } = lastFactor;
  // Paths = G Z with Z (r x entries) standard normal: covariance G G^T ~ K in every column.
  const z = T.randn([rank, entries], rng);
  return T.matmul(T.Tensor.view(factor, [n, rank]), z).values();
}

// ---- brownian ---------------------------------------------------------------------------------

function brownianPaths(times: readonly number[], entries: number, rng: Rng): Float64Array {
  const n = times.length;
  const out = new Float64Array(n * entries);
  for (let e = 0; e < entries; e++) out[e] = rng.normal();
  for (let t = 1; t < n; t++) {
    const dt = times[t]! - times[t - 1]!;
    if (!(dt >= 0))
      throw new ConfigError(`brownian init: times must increase, got ${times[t - 1]} then ${times[t]}`);
    const sd = Math.sqrt(dt);
    for (let e = 0; e < entries; e++) out[t * entries + e] = out[(t - 1) * entries + e]! + sd * rng.normal();
  }
  return out;
}

// ---- fractional Gaussian noise by circulant embedding (Davies and Harte 1987) ----------------

/** Autocovariance of unit-variance fractional Gaussian noise: (|k+1|^2H - 2|k|^2H + |k-1|^2H) / 2. */
export function fgnAutocovariance(hurst: number, k: number): number {
  const h2 = 2 * hurst;
  return 0.5 * (Math.abs(k + 1) ** h2 - 2 * Math.abs(k) ** h2 + Math.abs(k - 1) ** h2);
}

/**
 * Fractional Gaussian noise X_0 .. X_{n-1} (the increments of fractional Brownian motion on a
 * unit grid, normalised to variance 1). The n x n Toeplitz covariance is embedded in a circulant
 * matrix of size 2N (N >= n a power of two); a circulant matrix is diagonalised by the FFT, with
 * eigenvalues lambda = FFT(first row), nonnegative for fGn (Craigmile 2003). Then
 * Y = FFT(sqrt(lambda / 2N) (Z1 + i Z2)) has Re Y and Im Y independent with the circulant's
 * covariance, and their first n entries are two independent fGn paths (a stationary sequence's
 * prefix of a longer sample is a sample).
 */
function fgnPaths(hurst: number, times: readonly number[], entries: number, rng: Rng): Float64Array {
  const n = times.length;
  for (let t = 2; t < n; t++) {
    const step = times[1]! - times[0]!;
    if (Math.abs(times[t]! - times[t - 1]! - step) > 1e-9 * Math.max(1, Math.abs(step))) {
      throw new ConfigError(
        `fbm init: needs equally spaced parameter times (fractional Gaussian noise lives on a uniform grid), ` +
          `got steps ${step} and ${times[t]! - times[t - 1]!}`,
      );
    }
  }
  const sqrtEig = fgnCirculantRoots(hurst, n);
  const m = sqrtEig.length;
  const out = new Float64Array(n * entries);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let e = 0; e < entries; e += 2) {
    for (let j = 0; j < m; j++) {
      re[j] = sqrtEig[j]! * rng.normal();
      im[j] = sqrtEig[j]! * rng.normal();
    }
    fft(re, im);
    for (let t = 0; t < n; t++) {
      out[t * entries + e] = re[t]!;
      if (e + 1 < entries) out[t * entries + e + 1] = im[t]!;
    }
  }
  return out;
}

const rootsCache = new Map<string, Float64Array>();

/** sqrt(lambda_j / 2N) for the circulant embedding of n points of fGn (cached: a sweep reuses them). */
function fgnCirculantRoots(hurst: number, n: number): Float64Array {
  const key = `${hurst}:${n}`;
  const cached = rootsCache.get(key);
  if (cached !== undefined) return cached;
  let N = 1;
  while (N < n) N <<= 1;
  const m = 2 * N;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let k = 0; k <= N; k++) re[k] = fgnAutocovariance(hurst, k);
  for (let k = 1; k < N; k++) re[m - k] = re[k]!;
  fft(re, im);
  const roots = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const lambda = re[j]!;
    if (lambda < -1e-9) {
      throw new ConfigError(
        `fbm init: circulant embedding has a negative eigenvalue ${lambda} (H = ${hurst})`,
      );
    }
    roots[j] = Math.sqrt(Math.max(0, lambda) / m);
  }
  if (rootsCache.size > 64) rootsCache.clear();
  rootsCache.set(key, roots);
  return roots;
}
