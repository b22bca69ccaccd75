/**
 * The ResNet of Marion et al. (2022) at initialisation, h_{k+1} = h_k + alpha V_k relu(W_k h_k)
 * (no biases), forward and backward, written as plain loops over Float64Arrays: a sweep runs it on
 * thousands of networks of up to a thousand layers, each with fresh weights, so it skips the tape.
 * The backward pass is the discrete adjoint (DESIGN.md, "Adjoint"):
 *
 *   p_L = dLoss/dh_L,   p_k = p_{k+1} + alpha W_k^T (relu'(W_k h_k) * V_k^T p_{k+1}),
 *
 * and p_0 = dLoss/dh_0. The tests check both passes against the autograd engine.
 */

/** Weights of one network: layer k's W_k and V_k are the d x d row-major blocks at k * d * d. */
export interface ResNetWeights {
  depth: number;
  width: number;
  W: Float64Array;
  V: Float64Array;
}

export interface InitRatios {
  /** ||h_L - h_0|| / ||h_0||. */
  ratio: number;
  /** ||dLoss/dh_0|| / ||dLoss/dh_L||. */
  gradRatio: number;
}

const norm = (x: Float64Array): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

/** out = M x for the d x d block of M at `offset`. */
function matVec(M: Float64Array, offset: number, x: Float64Array, out: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    let s = 0;
    const row = offset + i * d;
    for (let j = 0; j < d; j++) s += M[row + j] * x[j];
    out[i] = s;
  }
}

/** out = M^T x for the d x d block of M at `offset`. */
function matTVec(M: Float64Array, offset: number, x: Float64Array, out: Float64Array, d: number): void {
  out.fill(0);
  for (let i = 0; i < d; i++) {
    const xi = x[i];
    const row = offset + i * d;
    for (let j = 0; j < d; j++) out[j] += M[row + j] * xi;
  }
}

/** h_L from h_0, and the pre-activations W_k h_k of every layer (kept for the backward pass). */
export function forward(
  w: ResNetWeights,
  alpha: number,
  h0: Float64Array,
): { hL: Float64Array; preacts: Float64Array } {
  const { depth: L, width: d, W, V } = w;
  const h = Float64Array.from(h0);
  const z = new Float64Array(d);
  const a = new Float64Array(d);
  const branch = new Float64Array(d);
  const preacts = new Float64Array(L * d);
  for (let k = 0; k < L; k++) {
    matVec(W, k * d * d, h, z, d);
    preacts.set(z, k * d);
    for (let i = 0; i < d; i++) a[i] = Math.max(z[i], 0);
    matVec(V, k * d * d, a, branch, d);
    for (let i = 0; i < d; i++) h[i] += alpha * branch[i];
  }
  return { hL: h, preacts };
}

/** p_0 = dLoss/dh_0 from p_L = dLoss/dh_L, by the discrete adjoint recursion above. */
export function backward(
  w: ResNetWeights,
  alpha: number,
  preacts: Float64Array,
  pL: Float64Array,
): Float64Array {
  const { depth: L, width: d, W, V } = w;
  const p = Float64Array.from(pL);
  const g = new Float64Array(d);
  const back = new Float64Array(d);
  for (let k = L - 1; k >= 0; k--) {
    matTVec(V, k * d * d, p, g, d);
    for (let i = 0; i < d; i++) if (!(preacts[k * d + i] > 0)) g[i] = 0;
    matTVec(W, k * d * d, g, back, d);
    for (let i = 0; i < d; i++) p[i] += alpha * back[i];
  }
  return p;
}

/** Both ratios of one network at one scaling alpha, for input h0 and output cotangent u. */
export function initRatios(w: ResNetWeights, alpha: number, h0: Float64Array, u: Float64Array): InitRatios {
  const { hL, preacts } = forward(w, alpha, h0);
  const diff = hL.map((v, i) => v - h0[i]);
  const p0 = backward(w, alpha, preacts, u);
  return { ratio: norm(diff) / norm(h0), gradRatio: norm(p0) / norm(u) };
}
