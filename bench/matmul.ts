/**
 * Matmul throughput (workload W4 of DESIGN.md and the ResNet shapes): GFLOP/s of resode's
 * `matmul` (float64) beside TensorFlow.js's CPU backend (float32, pure JS) on the same shapes, in
 * the same process. Each figure is the median over timed samples taken after a warm-up; a sample
 * repeats the product enough times to last a few milliseconds. Flops = 2 m k n per product.
 *
 * Run: pnpm exec tsx --conditions=resode-source bench/matmul.ts [--quick]
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, matmul, randn, type Tensor } from '@resode/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export type MatmulResult = { shape: string; resodeGflops: number; tfjsGflops: number };

/** [m, k, n]: A is m x k, B is k x n. */
const SHAPES: readonly (readonly [number, number, number])[] = [
  [256, 256, 256],
  [128, 16, 16], // the ResNet block of W1: a batch of 128 rows of width 16 times a 16 x 16 weight
  [64, 64, 64],
];

type Timing = { warmupMs: number; sampleMs: number; samples: number };

/** Median GFLOP/s of `run` (one product of `flops` flops per call). */
function gflops(run: () => void, flops: number, t: Timing): number {
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < t.warmupMs || calls < 3) {
    run();
    calls++;
  }
  // Calls per sample, from the warm-up rate.
  const perCall = (performance.now() - start) / calls;
  const reps = Math.max(1, Math.round(t.sampleMs / perCall));
  const rates: number[] = [];
  for (let s = 0; s < t.samples; s++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) run();
    const ms = (performance.now() - t0) / reps;
    rates.push(flops / ms / 1e6);
  }
  rates.sort((x, y) => x - y);
  const mid = rates.length >> 1;
  return rates.length % 2 ? rates[mid]! : (rates[mid - 1]! + rates[mid]!) / 2;
}

function resodeRun(m: number, k: number, n: number, transposeA = false): () => void {
  const rng = createRng(4);
  const a: Tensor = transposeA ? randn([k, m], rng).transpose() : randn([m, k], rng);
  const b = randn([k, n], rng);
  return () => {
    matmul(a, b);
  };
}

function tfjsRun(m: number, k: number, n: number, transposeA = false): () => void {
  const fill = (len: number) => Float32Array.from({ length: len }, () => Math.random() * 2 - 1);
  const a = tf.tensor2d(fill(m * k), transposeA ? [k, m] : [m, k]);
  const b = tf.tensor2d(fill(k * n), [k, n]);
  return () => {
    const c = tf.matMul(a, b, transposeA, false);
    c.dataSync();
    c.dispose();
  };
}

/**
 * GFLOP/s of resode and TensorFlow.js CPU on 256 x 256 x 256, 128 x 16 x 16 and 64 x 64 x 64.
 * `quick` shortens the warm-up and takes fewer samples (for smoke runs).
 */
export async function benchMatmul(opts: { quick: boolean }): Promise<MatmulResult[]> {
  await tf.setBackend('cpu');
  await tf.ready();
  const timing: Timing = opts.quick
    ? { warmupMs: 100, sampleMs: 5, samples: 5 }
    : { warmupMs: 500, sampleMs: 25, samples: 21 };
  return SHAPES.map(([m, k, n]) => {
    const flops = 2 * m * k * n;
    return {
      shape: `${m}x${k}x${n}`,
      resodeGflops: gflops(resodeRun(m, k, n), flops, timing),
      tfjsGflops: gflops(tfjsRun(m, k, n), flops, timing),
    };
  });
}

/** Resode and tfjs with a transposed left operand (resode reads the transposed view in place). */
async function benchTransposed(quick: boolean): Promise<MatmulResult> {
  const timing: Timing = quick
    ? { warmupMs: 100, sampleMs: 5, samples: 5 }
    : { warmupMs: 500, sampleMs: 25, samples: 21 };
  const [m, k, n] = [256, 256, 256];
  return {
    shape: `${m}x${k}x${n} A^T`,
    resodeGflops: gflops(resodeRun(m, k, n, true), 2 * m * k * n, timing),
    tfjsGflops: gflops(tfjsRun(m, k, n, true), 2 * m * k * n, timing),
  };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rows = await benchMatmul({ quick });
  rows.push(await benchTransposed(quick));
  const pad = (s: string, w: number) => s.padStart(w);
  console.log(`matmul GFLOP/s (median; resode float64, TensorFlow.js ${tf.version_core} cpu float32)`);
  console.log(`${'shape (m x k x n)'.padEnd(20)}${pad('resode', 9)}${pad('tfjs', 9)}${pad('ratio', 8)}`);
  for (const r of rows) {
    const ratio = (r.resodeGflops / r.tfjsGflops).toFixed(1);
    console.log(
      `${r.shape.padEnd(20)}${pad(r.resodeGflops.toFixed(2), 9)}${pad(r.tfjsGflops.toFixed(2), 9)}${pad(`${ratio}x`, 8)}`,
    );
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) await main();
