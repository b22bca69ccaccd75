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

/**
 * Median GFLOP/s of each library, and resode's fastest and slowest samples. On a shared machine
 * other tenants only ever slow a sample down, so the fastest sample is the best estimate of what
 * the code itself costs (Chen and Revels 2016, "Robust benchmarking in noisy environments"); the
 * median is what a user sees on a busy host. The table shows both.
 */
export type MatmulResult = {
  shape: string;
  resodeGflops: number;
  resodeBestGflops: number;
  resodeWorstGflops: number;
  tfjsGflops: number;
};
type Rates = { median: number; best: number; worst: number };

/** [m, k, n]: A is m x k, B is k x n. */
const SHAPES: readonly (readonly [number, number, number])[] = [
  [256, 256, 256],
  [128, 16, 16], // the ResNet block of W1: a batch of 128 rows of width 16 times a 16 x 16 weight
  [64, 64, 64],
];

type Timing = { warmupMs: number; sampleMs: number; samples: number };

/** Median, best and worst GFLOP/s over the samples of `run` (one product of `flops` flops per call). */
function gflops(run: () => void, flops: number, t: Timing): Rates {
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
  const median = rates.length % 2 ? rates[mid]! : (rates[mid - 1]! + rates[mid]!) / 2;
  return { median, best: rates[rates.length - 1]!, worst: rates[0]! };
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
    return result(`${m}x${k}x${n}`, resodeRun(m, k, n), tfjsRun(m, k, n), 2 * m * k * n, timing);
  });
}

/** Resode and tfjs with a transposed left operand (resode reads the transposed view in place). */
async function benchTransposed(quick: boolean): Promise<MatmulResult> {
  const timing: Timing = quick
    ? { warmupMs: 100, sampleMs: 5, samples: 5 }
    : { warmupMs: 500, sampleMs: 25, samples: 21 };
  const [m, k, n] = [256, 256, 256];
  return result(
    `${m}x${k}x${n} A^T`,
    resodeRun(m, k, n, true),
    tfjsRun(m, k, n, true),
    2 * m * k * n,
    timing,
  );
}

function result(
  shape: string,
  resode: () => void,
  tfjs: () => void,
  flops: number,
  timing: Timing,
): MatmulResult {
  const r = gflops(resode, flops, timing);
  const t = gflops(tfjs, flops, timing);
  return {
    shape,
    resodeGflops: r.median,
    resodeBestGflops: r.best,
    resodeWorstGflops: r.worst,
    tfjsGflops: t.median,
  };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rows = await benchMatmul({ quick });
  rows.push(await benchTransposed(quick));
  const pad = (s: string, w: number) => s.padStart(w);
  console.log(`matmul GFLOP/s (resode float64, TensorFlow.js ${tf.version_core} cpu float32)`);
  console.log(
    `${'shape (m x k x n)'.padEnd(20)}${pad('resode median', 15)}${pad('(worst-best)', 14)}${pad('tfjs median', 13)}${pad('ratio', 8)}`,
  );
  for (const r of rows) {
    const ratio = (r.resodeGflops / r.tfjsGflops).toFixed(1);
    const spread = `(${r.resodeWorstGflops.toFixed(2)}-${r.resodeBestGflops.toFixed(2)})`;
    console.log(
      `${r.shape.padEnd(20)}${pad(r.resodeGflops.toFixed(2), 15)}${pad(spread, 14)}${pad(r.tfjsGflops.toFixed(2), 13)}${pad(`${ratio}x`, 8)}`,
    );
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) await main();
