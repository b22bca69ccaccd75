/**
 * Regularity of a ResNet's weights in depth. theta_k is the concatenation of the layer's trained
 * weights (W_k, V_k); with Delta_k = theta_{k+1} - theta_k,
 *   maxIncrement  = max_k ||Delta_k||_F,   maxNorm = max_k ||theta_k||_F,
 *   quadVariation = sum_k ||Delta_k||_F^2  (the 2-variation on the grid k/L).
 * A smooth limit theta(s) gives ||Delta_k|| ~ |theta'| / L and a quadratic variation ~ 1/L; an
 * i.i.d. sequence gives increments of order one and a quadratic variation ~ L.
 */
import type { ResNet } from '../../models/resnet.js';

export interface DepthProfile {
  weights: Float64Array[];
  maxIncrement: number;
  maxNorm: number;
  quadVariation: number;
  /** The same measures of theta_k - theta_k(at init), when the initial weights are given. */
  changeMaxIncrement: number | null;
  changeQuadVariation: number | null;
  /** Entry (0, 0) of W_k for every k: the curve drawn against k/L. */
  path: number[];
}

function layerWeights(model: ResNet): Float64Array[] {
  return model.blocks.map((b) => {
    const parts = b.params.map((p) => p.value.values());
    const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  });
}

function increments(ws: Float64Array[]): { max: number; quad: number; maxNorm: number } {
  let max = 0;
  let quad = 0;
  let maxNorm = 0;
  ws.forEach((w, k) => {
    maxNorm = Math.max(maxNorm, Math.sqrt(w.reduce((s, v) => s + v * v, 0)));
    if (k === 0) return;
    const prev = ws[k - 1];
    let sq = 0;
    for (let i = 0; i < w.length; i++) sq += (w[i] - prev[i]) ** 2;
    max = Math.max(max, Math.sqrt(sq));
    quad += sq;
  });
  return { max, quad, maxNorm };
}

export function depthProfile(model: ResNet, initial?: Float64Array[]): DepthProfile {
  const weights = layerWeights(model);
  const inc = increments(weights);
  const change = initial ? increments(weights.map((w, k) => w.map((v, i) => v - initial[k][i]))) : null;
  return {
    weights,
    maxIncrement: inc.max,
    maxNorm: inc.maxNorm,
    quadVariation: inc.quad,
    changeMaxIncrement: change ? change.max : null,
    changeQuadVariation: change ? change.quad : null,
    path: model.blocks.map((b) => b.W.value.values()[0]),
  };
}
