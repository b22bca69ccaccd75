/**
 * Initialisations of a ResNet's weights as functions of depth, and the regime each leads to
 * (DESIGN.md; Marion et al. 2022; Cohen, Cont, Rossier, Xu 2021). In every case the entries of
 * sqrt(fan_in) W_k and sqrt(fan_in) V_k have unit variance (times `gain`); what changes is how
 * theta_k depends on k:
 *
 *   'iid'      independent across layers (Gaussian by default, or uniform). With alpha = L^-beta the
 *              relative change ||h_L - h_0|| / ||h_0|| at initialisation goes to 0 for beta > 1/2,
 *              explodes for beta < 1/2 and stays of order one at beta = 1/2: the critical scaling
 *              is 1/sqrt(L), and the limit is a stochastic differential equation (the SDE regime).
 *   'smooth'   theta_k = theta(k/L) for a Gaussian process theta(.) with the RBF kernel (C-infinity
 *              paths; lengthscale 0.1 by default). The critical scaling moves to beta = 1:
 *              alpha = 1/L gives an Euler scheme of a neural ODE (the ODE regime).
 *   'brownian' theta_k = theta_0 + B(k/L), a scaled random walk in k (Hoelder-1/2 paths): the
 *              regularity that Cohen et al. observe in trained weights of the diffusive regime.
 *   'fbm'      theta_k = fractional Gaussian noise of Hurst index H (H = 1/2: i.i.d.; H -> 1: nearly
 *              constant in k). The stable scaling sits near beta = max(1/2, H) (Marion et al.,
 *              Figure 6).
 *   'zero'     a zero residual branch: V_k = 0 (W_k i.i.d., so that gradients reach V_k); for the
 *              'sw' block W_k = 0, which needs sigma(0) = 0. The network starts as the identity, in
 *              every regime (the "ReZero" / "Fixup" idea).
 */
import type { Rng } from '@resode/tensor';
import { ConfigError, checkNumber } from '../errors.js';
import { type DepthProcess, iid, samplePaths } from './processes.js';

export const INITS = ['iid', 'smooth', 'brownian', 'fbm', 'zero'] as const;
export type InitName = (typeof INITS)[number];

export type InitSpec =
  | { kind: 'iid'; distribution?: 'gaussian' | 'uniform'; gain?: number }
  | { kind: 'smooth'; lengthscale?: number; gain?: number }
  | { kind: 'brownian'; gain?: number }
  | { kind: 'fbm'; hurst: number; gain?: number }
  | { kind: 'zero'; distribution?: 'gaussian' | 'uniform'; gain?: number };

export type ResolvedInit = {
  /** How the entries of theta_k vary with k. */
  process: DepthProcess;
  /** 'zero': the outer weights start at 0. */
  zeroBranch: boolean;
  gain: number;
};

export function resolveInit(init: InitName | InitSpec = 'iid'): ResolvedInit {
  const spec: InitSpec =
    typeof init === 'string'
      ? init === 'fbm'
        ? fail("init 'fbm' needs a Hurst index: use { kind: 'fbm', hurst: 0.7 }")
        : ({ kind: init } as InitSpec)
      : init;
  const gain = spec.gain === undefined ? 1 : checkNumber('init.gain', spec.gain);
  switch (spec.kind) {
    case 'iid':
    case 'zero': {
      const distribution = spec.distribution ?? 'gaussian';
      if (distribution !== 'gaussian' && distribution !== 'uniform') {
        fail(`init.distribution must be 'gaussian' or 'uniform', got ${JSON.stringify(distribution)}`);
      }
      return { process: { kind: 'iid', distribution }, zeroBranch: spec.kind === 'zero', gain };
    }
    case 'smooth': {
      const lengthscale =
        spec.lengthscale === undefined ? 0.1 : checkNumber('init.lengthscale', spec.lengthscale, true);
      return { process: { kind: 'smooth', lengthscale }, zeroBranch: false, gain };
    }
    case 'brownian':
      return { process: { kind: 'brownian' }, zeroBranch: false, gain };
    case 'fbm': {
      const hurst = checkNumber('init.hurst', spec.hurst);
      if (hurst <= 0 || hurst >= 1) fail(`init.hurst must be in (0, 1), got ${hurst}`);
      return { process: { kind: 'fbm', hurst }, zeroBranch: false, gain };
    }
    default:
      return fail(
        `init must be one of ${INITS.map((i) => `'${i}'`).join(', ')} or { kind, ... }, got ${JSON.stringify(init)}`,
      );
  }
}

function fail(message: string): never {
  throw new ConfigError(message);
}

/**
 * One weight matrix of `size` entries for each parameter time: independent paths of the init's
 * process, scaled to standard deviation gain * std. Returns one array per time (views into one
 * buffer). An i.i.d. init draws into `storage` when it holds times.length * size numbers (the
 * other processes allocate their own).
 */
export function drawInDepth(
  init: ResolvedInit,
  times: readonly number[],
  size: number,
  std: number,
  rng: Rng,
  storage?: Float64Array,
): Float64Array[] {
  const scale = init.gain * std;
  const p = init.process;
  // i.i.d. entries are scaled as they are drawn; the paths of the other processes afterwards.
  let paths: Float64Array;
  if (p.kind === 'iid') paths = iid(p.distribution, times.length * size, rng, scale, storage);
  else {
    paths = samplePaths(p, times, size, rng);
    for (let i = 0; i < paths.length; i++) paths[i]! *= scale;
  }
  return times.map((_, t) => paths.subarray(t * size, (t + 1) * size));
}
