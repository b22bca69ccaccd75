/**
 * The diffusive limit of a ResNet (docs/sde.md, "ResNets and their SDE limit").
 *
 * A ResNet of depth L with residual scale alpha_L = L^(-1/2) and i.i.d. Gaussian weights,
 *
 *   h_{k+1} = h_k + L^(-1/2) A_k tanh(h_k),     (A_k)_il ~ N(0, 1/d) i.i.d.,
 *
 * is exactly one Euler-Maruyama step of size 1/L of the Ito SDE driven by a d x d matrix of
 * Brownian motions W,
 *
 *   dh_i = d^(-1/2) sum_l tanh(h_l) dW_il,
 *
 * with A_k = sqrt(L / d) (W(t_{k+1}) - W(t_k)). Building the weights of every depth from one
 * Brownian tree couples the networks: as L grows they converge, path by path, to the SDE's
 * solution, at the strong rate L^(-1/2) of Euler-Maruyama.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/sde-resnet-limit.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import { sdeint, VirtualBrownianTree } from '@resode/ode';
import * as T from '@resode/tensor';

/** The ResNet, written as a plain loop over layers, with the weights read from the Brownian tree. */
function resnet(h0: T.Tensor, depth: number, bm: VirtualBrownianTree): T.Tensor {
  const d = h0.shape[1]!;
  let h = h0;
  for (let k = 0; k < depth; k++) {
    const weights = T.mul(bm.increment(k / depth, (k + 1) / depth), Math.sqrt(depth / d)); // [d, d]
    const branch = T.matmul(T.tanh(h), T.transpose(weights)); // rows: A_k tanh(h)
    h = T.add(h, T.mul(branch, depth ** -0.5));
  }
  return h;
}

/**
 * The SDE's diffusion as a [batch, d, d, d] tensor G with G[b, i, m, l] = delta_im tanh(h_bl) / sqrt(d),
 * so that sum_{m,l} G[b, i, m, l] dW_ml = d^(-1/2) sum_l tanh(h_bl) dW_il. Dense for readability.
 */
function diffusion(d: number) {
  const identity = T.eye(d).reshape([1, d, d, 1]);
  return (_t: number, h: A.Var) => {
    const batch = h.shape[0]!;
    return A.mul(A.reshape(A.tanh(h), [batch, 1, 1, d]), identity).mul(d ** -0.5);
  };
}

export function main(
  log: (...args: unknown[]) => void = console.log,
  { d = 6, batch = 16, networks = 4, depths = [4, 16, 64, 256], referenceDepth = 4096 } = {},
) {
  const zeroDrift = (_t: number, h: A.Var) => A.mul(h, 0);
  const options = { noiseType: 'general' as const, noiseShape: [d, d] };
  const errors = depths.map(() => 0);
  let eulerMaruyamaMismatch = 0;
  const ratios: number[] = [];
  for (let net = 0; net < networks; net++) {
    const rng = T.createRng(100 + net);
    const h0 = T.rand([batch, d], rng, -1, 1);
    const bm = new VirtualBrownianTree({ t0: 0, t1: 1, shape: [d, d], seed: net });
    // The ResNet of depth L is Euler-Maruyama with dt = 1/L on the same path.
    const L = depths[depths.length - 1]!;
    const em = sdeint(zeroDrift, diffusion(d), h0, [0, 1], { ...options, dt: 1 / L, bm });
    eulerMaruyamaMismatch = Math.max(
      eulerMaruyamaMismatch,
      T.maxAbsDiff(A.index(em, 1).value, resnet(h0, L, bm)),
    );
    // The limit: a much deeper network stands in for the SDE's solution on this path.
    const reference = resnet(h0, referenceDepth, bm);
    depths.forEach((depth, i) => {
      const gap = T.sub(resnet(h0, depth, bm), reference);
      errors[i]! += T.mean(T.sqrt(T.sum(T.square(gap), 1))).item() / networks;
    });
    // ||h_L - h_0|| / ||h_0|| stays of order one at alpha_L = L^(-1/2): neither 0 nor a blow-up.
    const change = T.sqrt(T.sum(T.square(T.sub(reference, h0)), 1));
    const size = T.sqrt(T.sum(T.square(h0), 1));
    ratios.push(...T.div(change, size).values());
  }
  log(
    `ResNet of depth ${depths.at(-1)} vs sdeint Euler-Maruyama with dt = 1/L: max difference ${eulerMaruyamaMismatch.toExponential(2)}`,
  );
  log(`mean ||h_L - h_${referenceDepth}|| over ${networks} networks x ${batch} inputs (d = ${d}):`);
  depths.forEach((depth, i) => {
    log(`  L = ${String(depth).padStart(5)}   ${errors[i]!.toExponential(3)}`);
  });
  const xs = depths.map(Math.log);
  const ys = errors.map(Math.log);
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const rate =
    -xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  log(`  measured rate: error ~ L^(-${rate.toFixed(3)})   (Euler-Maruyama's strong order: 0.5)`);
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  log(`median ||h_L - h_0|| / ||h_0|| at L = ${referenceDepth}: ${median.toFixed(3)}`);
  return { eulerMaruyamaMismatch, depths, errors, rate, medianRatio: median };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
