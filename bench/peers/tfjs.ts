// TensorFlow.js peer for the benchmark workloads (DESIGN.md, "Benchmark workloads").
// CPU backend, pure JS, float32 (tfjs has no float64). Each tfjsWn() builds its workload once and
// returns a closure that runs one iteration and returns a check value; call setupTfjs() first.
// Functional ops only (tf.add(x, y), not x.add(y)): tfjs-core alone does not register chained ops.
// W1 and W2 use the same portable inputs (mulberry32 + Box-Muller) as torch_bench.py, so their
// check values agree with the PyTorch peer up to float32 rounding. W3 (dopri5) is not implemented.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mulberry32, normalValues, sizeOf, uniformValues } from '../portable-random.js';

export { mulberry32 };

// tfjs-core's entry point registers no gradients (the @tensorflow/tfjs union package does). Its
// dist/register_all_gradients.js is ES syntax with extensionless imports: tsx loads it (running a
// benchmark file directly), plain Node does not, so `pnpm bench` first bundles it beside the
// compiled peer (bench/build-tfjs-gradients.ts). Either fills tfjs's global gradient registry.
const require = createRequire(import.meta.url);
const bundled = new URL('./tfjs-gradients.cjs', import.meta.url);
require(existsSync(bundled) ? fileURLToPath(bundled) : '@tensorflow/tfjs-core/dist/register_all_gradients');

export const tfjsVersion: string = tf.version_core;

export async function setupTfjs(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** N(0, std^2) entries in row-major order (the portable generator), as a float32 tensor. */
function portableNormal(rng: () => number, shape: number[], std = 1): tf.Tensor {
  return tf.tensor(Float32Array.from(normalValues(rng, sizeOf(shape), std)), shape);
}

/** U(-bound, bound) entries in row-major order, as a float32 tensor. */
function portableUniform(rng: () => number, shape: number[], bound: number): tf.Tensor {
  return tf.tensor(Float32Array.from(uniformValues(rng, sizeOf(shape), bound)), shape);
}

/** W1: deep ResNet h <- h + L^-1/2 V_k tanh(W_k h), loss = mean |h_L|^2 / 2, forward + backward. */
export function tfjsW1(L = 256, d = 16, batch = 128): () => number {
  const rng = mulberry32(1);
  const h0 = portableNormal(rng, [batch, d]);
  const Ws: tf.Variable[] = [];
  const Vs: tf.Variable[] = [];
  for (let k = 0; k < L; k++) {
    Ws.push(tf.variable(portableNormal(rng, [d, d], d ** -0.5)));
    Vs.push(tf.variable(portableNormal(rng, [d, d], d ** -0.5)));
  }
  const alpha = L ** -0.5;
  const vars = [...Ws, ...Vs];
  return () =>
    tf.tidy(() => {
      const { value } = tf.variableGrads(() => {
        let h = h0;
        for (let k = 0; k < L; k++) {
          const z = tf.matMul(tf.tanh(tf.matMul(h, Ws[k], false, true)), Vs[k], false, true);
          h = tf.add(h, tf.mul(z, alpha));
        }
        return tf.mul(tf.mean(tf.sum(tf.square(h), 1)), 0.5) as tf.Scalar;
      }, vars);
      return value.dataSync()[0];
    });
}

/** W2: f(y) = Linear(64 -> 2)(tanh(Linear(2 -> 64)(y))), batch 256, RK4 h = 0.05 on [0, 1],
 * loss = sum y(1)^2, forward + backward through the solver. */
export function tfjsW2(h = 0.05, steps = 20, batch = 256, hidden = 64): () => number {
  const rng = mulberry32(2);
  const y0 = portableNormal(rng, [batch, 2]);
  const A = tf.variable(portableUniform(rng, [hidden, 2], 2 ** -0.5));
  const a = tf.variable(portableUniform(rng, [hidden], 2 ** -0.5));
  const B = tf.variable(portableUniform(rng, [2, hidden], hidden ** -0.5));
  const b = tf.variable(portableUniform(rng, [2], hidden ** -0.5));
  const f = (y: tf.Tensor): tf.Tensor =>
    tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(y, A, false, true), a)), B, false, true), b);
  return () =>
    tf.tidy(() => {
      const { value } = tf.variableGrads(() => {
        let y = y0;
        for (let i = 0; i < steps; i++) {
          const k1 = f(y);
          const k2 = f(tf.add(y, tf.mul(k1, h / 2)));
          const k3 = f(tf.add(y, tf.mul(k2, h / 2)));
          const k4 = f(tf.add(y, tf.mul(k3, h)));
          y = tf.add(y, tf.mul(tf.addN([k1, tf.mul(k2, 2), tf.mul(k3, 2), k4]), h / 6));
        }
        return tf.sum(tf.square(y)) as tf.Scalar;
      }, [A, a, B, b]);
      return value.dataSync()[0];
    });
}

/** W4: one 256 x 256 matmul (float32). GFLOP/s = 2 * n^3 / time. */
export function tfjsW4(n = 256): () => number {
  const rng = mulberry32(4);
  const a = portableNormal(rng, [n, n]);
  const b = portableNormal(rng, [n, n]);
  return () => tf.tidy(() => tf.matMul(a, b).dataSync()[0]);
}

/** W5: ||h_L - h_0|| / ||h_0|| at initialisation for beta in {0.25, 0.5, 1}, L in {10, 100, 1000},
 * d = 64, 20 fresh networks per (beta, L) batched with matMul, no grad; entries of V, W uniform
 * with variance 1/d. One call runs the whole sweep; returns the mean ratio at beta = 0.5, L = 1000
 * (about 0.8) and fills `ratios` if given. */
export function tfjsW5(ratios: Record<string, number> = {}, d = 64, samples = 20): () => number {
  const bound = Math.sqrt(3 / d);
  return () => {
    for (const beta of [0.25, 0.5, 1]) {
      for (const L of [10, 100, 1000]) {
        const alpha = L ** -beta;
        const h0 = tf.randomNormal([samples, d, 1]);
        let h = h0;
        for (let k = 0; k < L; k++) {
          const next = tf.tidy(() => {
            const W = tf.randomUniform([samples, d, d], -bound, bound);
            const V = tf.randomUniform([samples, d, d], -bound, bound);
            return tf.add(h, tf.mul(tf.matMul(V, tf.relu(tf.matMul(W, h))), alpha));
          });
          if (h !== h0) h.dispose();
          h = next;
        }
        const hL = h;
        ratios[`beta=${beta},L=${L}`] = tf.tidy(() => {
          const r = tf.div(tf.norm(tf.sub(hL, h0), 'euclidean', [1, 2]), tf.norm(h0, 'euclidean', [1, 2]));
          return tf.mean(r).dataSync()[0];
        });
        h.dispose();
        h0.dispose();
      }
    }
    return ratios['beta=0.5,L=1000'];
  };
}
