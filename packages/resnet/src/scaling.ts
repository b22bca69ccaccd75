/**
 * Scaling at initialisation (Marion, Fermanian, Biau, Vert 2022, public code
 * PierreMarion23/scaling-resnets): how much does a freshly initialised ResNet move its input,
 *
 *   ratio     = ||h_L - h_0|| / ||h_0||,
 *   gradRatio = ||dLoss/dh_0|| / ||dLoss/dh_L||,
 *
 * for h_{k+1} = h_k + L^(-beta) V_k relu(W_k h_k) (no biases), as the depth L grows? Their
 * protocol: h_0 = A x with x uniform in [0, 1]^64 and A uniform with variance 1/64; a scalar
 * read-out c . h_L (c uniform with variance 1/d) and a squared loss; the entries of sqrt(d) V_k and
 * sqrt(d) W_k have unit variance (uniform in their i.i.d. experiment). Corollary 4: the ratio goes
 * to 0 for beta > 1/2, to infinity for beta < 1/2, and stays of order one at beta = 1/2.
 *
 * This is the hot loop of a sweep (W5: 3 betas x depths 10, 100, 1000 x 20 samples at d = 64), so it
 * runs on plain arrays with a hand-written backward pass, the discrete adjoint
 *   p_L = dLoss/dh_L,   p_k = p_{k+1} + alpha W_k^T (relu'(W_k h_k) * (V_k^T p_{k+1}))
 * (DESIGN.md, "Adjoint"); test/scaling.test.ts checks it against autograd on a ResNet.
 * dLoss/dh_L = 2 (c . h_L - y) c is a multiple of c and the backward pass is linear in p, so
 * gradRatio does not depend on the target y: we start from p_L = c.
 *
 * One network is drawn per (depth, sample) and evaluated at every beta: common random numbers, so
 * the curves of different betas are compared on the same networks (each cell is still a sample of
 * independent networks). Each network's seed depends only on (seed, depth, sample), so a sweep can
 * be split in any order or over machines and give the same rows.
 */
import { createRng, type Rng } from '@resode/tensor';
import { ConfigError, checkInteger, checkNumber } from './errors.js';
import { drawInDepth, type InitName, type InitSpec, resolveInit } from './init/index.js';

export type ScalingOptions = {
  betas: readonly number[];
  depths: readonly number[];
  /** d, the width of the hidden states. */
  width: number;
  /** Networks drawn per (beta, depth). */
  samples: number;
  seed: number;
  /** Default i.i.d. uniform (Marion et al.'s i.i.d. experiment); 'smooth' and { kind: 'fbm', hurst } too. */
  init?: InitName | InitSpec;
  /** Dimension of the input x (default 64). */
  inputDim?: number;
  /** Called after each network with the count of networks done and the total. */
  onProgress?: (done: number, total: number) => void;
};

export type ScalingSample = { beta: number; depth: number; sample: number; ratio: number; gradRatio: number };

export type ScalingRow = {
  beta: number;
  depth: number;
  ratioMedian: number;
  ratioQ10: number;
  ratioQ90: number;
  gradRatioMedian: number;
  gradRatioQ10: number;
  gradRatioQ90: number;
  samples: number;
};

/** A network of the protocol, as plain arrays (row-major d x d matrices). */
export type ScalingNetwork = {
  depth: number;
  width: number;
  /** h_0 = A x. */
  h0: Float64Array;
  W: Float64Array[];
  /** V_k transposed: row j of Vt[k] is column j of V_k (see scalingRatios). */
  Vt: Float64Array[];
  /** The read-out vector c (dLoss/dh_L is a multiple of it). */
  readout: Float64Array;
};

/** The median and the 10% and 90% quantiles of each (beta, depth) cell. */
export function scalingAtInit(options: ScalingOptions): ScalingRow[] {
  const samples = scalingAtInitSamples(options);
  const rows: ScalingRow[] = [];
  for (const beta of options.betas) {
    for (const depth of options.depths) {
      const cell = samples.filter((s) => s.beta === beta && s.depth === depth);
      const ratios = cell.map((s) => s.ratio);
      const grads = cell.map((s) => s.gradRatio);
      rows.push({
        beta,
        depth,
        ratioMedian: quantile(ratios, 0.5),
        ratioQ10: quantile(ratios, 0.1),
        ratioQ90: quantile(ratios, 0.9),
        gradRatioMedian: quantile(grads, 0.5),
        gradRatioQ10: quantile(grads, 0.1),
        gradRatioQ90: quantile(grads, 0.9),
        samples: cell.length,
      });
    }
  }
  return rows;
}

/** Every network's ratio and gradient ratio (for histograms), ordered by depth, sample, beta. */
export function scalingAtInitSamples(options: ScalingOptions): ScalingSample[] {
  const { betas, depths } = options;
  if (!Array.isArray(betas) || betas.length === 0)
    throw new ConfigError('scalingAtInit: betas must be a non-empty array');
  if (!Array.isArray(depths) || depths.length === 0)
    throw new ConfigError('scalingAtInit: depths must be a non-empty array');
  for (const [i, b] of betas.entries()) checkNumber(`betas[${i}]`, b);
  for (const [i, L] of depths.entries()) checkInteger(`depths[${i}]`, L, 1);
  const width = checkInteger('width', options.width, 1);
  const samples = checkInteger('samples', options.samples, 1);
  const seed = checkNumber('seed', options.seed);
  const inputDim = checkInteger('inputDim', options.inputDim ?? 64, 1);
  const init = options.init ?? { kind: 'iid', distribution: 'uniform' };
  const iidInit = resolveInit(init).process.kind === 'iid'; // validates early
  const out: ScalingSample[] = [];
  const total = depths.length * samples;
  let done = 0;
  for (const depth of depths) {
    // The networks of one depth are drawn one after the other into the same arrays (i.i.d. inits
    // only: the other processes make their own).
    const storage = iidInit
      ? { W: new Float64Array(depth * width * width), Vt: new Float64Array(depth * width * width) }
      : undefined;
    for (let sample = 0; sample < samples; sample++) {
      const net = scalingNetwork({
        depth,
        width,
        inputDim,
        init,
        rng: createRng(networkSeed(seed, depth, sample)),
        storage,
      });
      const ratios = scalingRatiosAtSteps(
        net,
        betas.map((beta) => depth ** -beta),
      );
      betas.forEach((beta, b) => {
        out.push({ beta, depth, sample, ...ratios[b]! });
      });
      options.onProgress?.(++done, total);
    }
  }
  return out;
}

/** A seed for network (depth, sample) of a sweep with seed `seed` (independent of the sweep's order). */
export function networkSeed(seed: number, depth: number, sample: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ depth, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ sample, 0x27d4eb2f);
  return ((h ^ (h >>> 15)) >>> 0) + Math.floor(seed / 2 ** 32) * 2 ** 32;
}

/**
 * Draws one network of the protocol. With `storage` (two arrays of depth * width^2 numbers), an
 * i.i.d. init draws W and V^T into them, and the network's matrices are views of them.
 */
export function scalingNetwork(o: {
  depth: number;
  width: number;
  inputDim: number;
  init: InitName | InitSpec;
  rng: Rng;
  storage?: { W: Float64Array; Vt: Float64Array };
}): ScalingNetwork {
  const { depth, width: d, inputDim, rng } = o;
  const init = resolveInit(o.init);
  if (init.zeroBranch) throw new ConfigError("scalingAtInit: init 'zero' makes every ratio 0");
  const uniform = (n: number, variance: number) => {
    const r = Math.sqrt(3 * variance);
    return Float64Array.from({ length: n }, () => r * (2 * rng.uniform() - 1));
  };
  const A = uniform(d * inputDim, 1 / inputDim);
  const x = Float64Array.from({ length: inputDim }, () => rng.uniform());
  const h0 = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < inputDim; j++) s += A[i * inputDim + j]! * x[j]!;
    h0[i] = s;
  }
  const readout = uniform(d, 1 / d);
  const times = Array.from({ length: depth }, (_, k) => k / depth);
  const W = drawInDepth(init, times, d * d, 1 / Math.sqrt(d), rng, o.storage?.W);
  // Every process draws its entries independently, so the transpose of a draw is a draw.
  const Vt = drawInDepth(init, times, d * d, 1 / Math.sqrt(d), rng, o.storage?.Vt);
  return { depth, width: d, h0, W, Vt, readout };
}

/** ratio and gradRatio of one network at step alpha (see scalingRatiosAtSteps). */
export function scalingRatios(net: ScalingNetwork, alpha: number): { ratio: number; gradRatio: number } {
  return scalingRatiosAtSteps(net, [alpha])[0]!;
}

/**
 * ratio and gradRatio of one network at each step alpha in `alphas`: the same numbers as one
 * scalingRatios call per alpha, but layer by layer for all the alphas together, so that each
 * layer's two d x d matrices come from memory once and stay in cache for the other alphas (a
 * network of depth 1000 at d = 64 holds 64 MB of weights, far more than the caches).
 *
 * About half of relu(W_k h_k) is zero, and with V_k stored transposed both products with V_k skip
 * those entries: u = V_k z adds the rows j of V_k^T with z_j != 0, and (V_k^T p)_j is needed only
 * where relu'(W_k h_k)_j != 0.
 */
export function scalingRatiosAtSteps(
  net: ScalingNetwork,
  alphas: readonly number[],
): { ratio: number; gradRatio: number }[] {
  const { depth: L, width: d, W, Vt } = net;
  const z = new Float64Array(d);
  const u = new Float64Array(d);
  const hs = alphas.map(() => Float64Array.from(net.h0));
  const actives = alphas.map(() => new Uint8Array(L * d)); // relu'(W_k h_k), kept for the backward pass
  for (let k = 0; k < L; k++) {
    for (let b = 0; b < alphas.length; b++)
      forwardLayer(W[k]!, Vt[k]!, d, alphas[b]!, hs[b]!, actives[b]!, k, z, u);
  }
  const ps = alphas.map(() => Float64Array.from(net.readout));
  for (let k = L - 1; k >= 0; k--) {
    for (let b = 0; b < alphas.length; b++)
      backwardLayer(W[k]!, Vt[k]!, d, alphas[b]!, ps[b]!, actives[b]!, k, z);
  }
  return alphas.map((_, b) => {
    const h = hs[b]!;
    let diff = 0;
    let base = 0;
    for (let i = 0; i < d; i++) {
      diff += (h[i]! - net.h0[i]!) ** 2;
      base += net.h0[i]! ** 2;
    }
    return { ratio: Math.sqrt(diff / base), gradRatio: norm(ps[b]!) / norm(net.readout) };
  });
}

/** h += alpha V_k relu(W_k h), recording relu'(W_k h) in `active` (row k); z and u are scratch. */
function forwardLayer(
  Wk: Float64Array,
  Vtk: Float64Array,
  d: number,
  alpha: number,
  h: Float64Array,
  active: Uint8Array,
  k: number,
  z: Float64Array,
  u: Float64Array,
): void {
  for (let i = 0; i < d; i++) {
    const s = dot(Wk, i * d, h, d);
    active[k * d + i] = s > 0 ? 1 : 0;
    z[i] = s;
  }
  u.fill(0);
  for (let j = 0; j < d; j++) {
    if (active[k * d + j] === 0) continue;
    const zj = z[j]!;
    for (let i = 0, r = j * d; i < d; i++) u[i] = u[i]! + Vtk[r + i]! * zj;
  }
  for (let i = 0; i < d; i++) h[i] = h[i]! + alpha * u[i]!;
}

/**
 * The discrete adjoint of forwardLayer: p += alpha W_k^T q with q_j = relu'(W_k h_k)_j (V_k^T p)_j,
 * skipping the inactive j; z is scratch.
 */
function backwardLayer(
  Wk: Float64Array,
  Vtk: Float64Array,
  d: number,
  alpha: number,
  p: Float64Array,
  active: Uint8Array,
  k: number,
  z: Float64Array,
): void {
  for (let j = 0; j < d; j++) z[j] = 0;
  for (let j = 0; j < d; j++) {
    if (active[k * d + j] === 0) continue;
    z[j] = alpha * dot(Vtk, j * d, p, d);
  }
  for (let j = 0; j < d; j++) {
    const qj = z[j]!;
    if (qj === 0) continue;
    for (let i = 0, r = j * d; i < d; i++) p[i] = p[i]! + Wk[r + i]! * qj;
  }
}

/**
 * sum_i a[offset + i] b[i] for i < n, with four partial sums: one running sum waits for each
 * addition to finish (a chain of n dependent adds), four independent ones keep the FPU busy.
 */
function dot(a: Float64Array, offset: number, b: Float64Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[offset + i]! * b[i]!;
    s1 += a[offset + i + 1]! * b[i + 1]!;
    s2 += a[offset + i + 2]! * b[i + 2]!;
    s3 += a[offset + i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[offset + i]! * b[i]!;
  return s0 + s1 + (s2 + s3);
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** The q-quantile with linear interpolation between order statistics (NumPy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}
