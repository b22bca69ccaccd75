import type { Rng } from '@resode/tensor';
import { FgnSampler } from '../random/fgn.js';
import { SmoothPath } from '../random/smooth.js';
import type { ResNetWeights } from './kernel.js';

/**
 * The three initialisations of Marion et al. (2022), each with entries of variance 1/d:
 * - 'iid': every entry of every W_k, V_k independent, uniform on [-sqrt(3/d), sqrt(3/d)] (their code);
 * - 'smooth': theta_k = theta(k/L) for theta a smooth random function (RBF Gaussian process of
 *   lengthscale l, see random/smooth.ts): the weights converge to a function of depth;
 * - 'fgn': each entry's sequence k -> theta_k is fractional Gaussian noise of Hurst index H (H = 1/2
 *   is 'iid' with Gaussian entries; H -> 1 approaches the smooth case).
 */
export type InitKind = 'iid' | 'smooth' | 'fgn';
export const INIT_KINDS: readonly InitKind[] = ['iid', 'smooth', 'fgn'];

export interface InitSpec {
  init: InitKind;
  /** Hurst index, for 'fgn'. */
  hurst?: number;
  /** RBF lengthscale on [0, 1], for 'smooth'. */
  lengthscale?: number;
}

function iidMatrices(L: number, d: number, rng: Rng): Float64Array {
  const half = Math.sqrt(3 / d);
  const out = new Float64Array(L * d * d);
  // 32 random bits per entry are plenty for a weight.
  for (let i = 0; i < out.length; i++) out[i] = half * (rng.nextUint32() / 2 ** 31 - 1);
  return out;
}

function smoothMatrices(L: number, d: number, lengthscale: number, rng: Rng): Float64Array {
  const path = new SmoothPath(d * d, rng, { lengthscale, scale: 1 / Math.sqrt(d) });
  const out = new Float64Array(L * d * d);
  for (let k = 0; k < L; k++) path.evalInto(k / L, out, k * d * d);
  return out;
}

function fgnMatrices(L: number, d: number, hurst: number, rng: Rng): Float64Array {
  const sampler = new FgnSampler(L, hurst);
  const scale = 1 / Math.sqrt(d);
  const out = new Float64Array(L * d * d);
  for (let entry = 0; entry < d * d; entry++) {
    const seq = sampler.sample(rng);
    for (let k = 0; k < L; k++) out[k * d * d + entry] = scale * seq[k];
  }
  return out;
}

export function sampleWeights(spec: InitSpec, depth: number, width: number, rng: Rng): ResNetWeights {
  const draw = (): Float64Array => {
    switch (spec.init) {
      case 'iid':
        return iidMatrices(depth, width, rng);
      case 'smooth':
        return smoothMatrices(depth, width, spec.lengthscale ?? 0.1, rng);
      case 'fgn':
        if (spec.hurst === undefined) throw new RangeError("init 'fgn' needs a Hurst index");
        return fgnMatrices(depth, width, spec.hurst, rng);
    }
  };
  const W = draw();
  const V = draw();
  return { depth, width, W, V };
}
