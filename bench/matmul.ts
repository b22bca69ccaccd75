/**
 * Matmul throughput (workload W4 of DESIGN.md and the ResNet shapes): GFLOP/s of resode's
 * `matmul` (float64) beside TensorFlow.js's CPU backend (float32, pure JS) on the same shapes, in
 * the same process. Each figure is the median over timed samples taken after a warm-up; a sample
 * repeats the product enough times to last a few milliseconds. Flops = 2 m k n per product.
 *
 * Run: pnpm bench:build && node bench/dist/matmul.js [--quick]
 * (compiled, under plain Node, as `pnpm bench` runs it; `pnpm exec tsx --conditions=resode-source
 * bench/matmul.ts` runs the source, slower: see packages/tensor/src/kernels/matmul.ts)
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
  /** A plain i-k-j loop (what the kernel is measured against), timed alternately with resode. */
  ikjGflops: number;
  /** Median over alternating samples of (resode rate / i-k-j rate): a figure the host's load cancels from. */
  speedupOverIkj: number;
};
type Rates = { median: number; best: number; worst: number };

/** [m, k, n]: A is m x k, B is k x n. */
const SHAPES: readonly (readonly [number, number, number])[] = [
  [256, 256, 256],
  [128, 16, 16], // the ResNet block of W1: a batch of 128 rows of width 16 times a 16 x 16 weight
  [64, 64, 64],
];

type Timing = { warmupMs: number; sampleMs: number; samples: number };

/** Runs `run` for `warmupMs` (at least 3 calls); returns how many calls make a sample of `sampleMs`. */
function warmUp(run: () => void, warmupMs: number, sampleMs: number): number {
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < warmupMs || calls < 3) {
    run();
    calls++;
  }
  return Math.max(1, Math.round(sampleMs / ((performance.now() - start) / calls)));
}

/** One sample: ms per call over `reps` calls. */
function msPerCall(run: () => void, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) run();
  return (performance.now() - t0) / reps;
}

/** Median, best and worst GFLOP/s over the samples of `run` (one product of `flops` flops per call). */
function gflops(run: () => void, flops: number, t: Timing): Rates {
  const reps = warmUp(run, t.warmupMs, t.sampleMs);
  const rates: number[] = [];
  for (let s = 0; s < t.samples; s++) rates.push(flops / msPerCall(run, reps) / 1e6);
  rates.sort((x, y) => x - y);
  const mid = rates.length >> 1;
  const median = rates.length % 2 ? rates[mid]! : (rates[mid - 1]! + rates[mid]!) / 2;
  return { median, best: rates[rates.length - 1]!, worst: rates[0]! };
}

/**
 * The reference: C = A B by the plain i-k-j loop over contiguous Float64Arrays passed as
 * arguments (the first loop anyone writes). Issue 2 quotes about 1.1 GFLOP/s for it at 256^3: it
 * ran at 1.06-1.10 compiled under plain Node, and at 0.69-0.77 through tsx (docs/performance.md,
 * "Plain Node, not tsx").
 */
function ikjRun(m: number, k: number, n: number): () => void {
  const rng = createRng(5);
  const a = randn([m, k], rng).values();
  const b = randn([k, n], rng).values();
  const c = new Float64Array(m * n);
  return () => ikj(a, b, c, m, k, n);
}

function ikj(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
  c.fill(0);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j]!;
    }
  }
}

/**
 * Times `x` and `y` in alternating samples (so that both see the same load on a shared host) and
 * returns the median of the per-pair ratios rate(x) / rate(y), and y's median rate.
 */
function alternating(
  x: () => void,
  y: () => void,
  flops: number,
  t: Timing,
): { ratio: number; yGflops: number } {
  const rx = warmUp(x, t.warmupMs / 2, t.sampleMs);
  const ry = warmUp(y, t.warmupMs / 2, t.sampleMs);
  const ratios: number[] = [];
  const yRates: number[] = [];
  for (let s = 0; s < t.samples; s++) {
    const msX = msPerCall(x, rx);
    const msY = msPerCall(y, ry);
    ratios.push(msY / msX);
    yRates.push(flops / msY / 1e6);
  }
  const median = (v: number[]) => v.sort((p, q) => p - q)[v.length >> 1]!;
  return { ratio: median(ratios), yGflops: median(yRates) };
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
  const [m, k, n] = shape.split(' ')[0]!.split('x').map(Number) as [number, number, number];
  const ikj = alternating(resode, ikjRun(m, k, n), flops, timing);
  return {
    shape,
    resodeGflops: r.median,
    resodeBestGflops: r.best,
    resodeWorstGflops: r.worst,
    tfjsGflops: t.median,
    ikjGflops: ikj.yGflops,
    speedupOverIkj: ikj.ratio,
  };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rows = await benchMatmul({ quick });
  rows.push(await benchTransposed(quick));
  const pad = (s: string, w: number) => s.padStart(w);
  console.log(`matmul GFLOP/s (resode float64, TensorFlow.js ${tf.version_core} cpu float32)`);
  console.log(
    `${'shape (m x k x n)'.padEnd(20)}${pad('resode median', 15)}${pad('(worst-best)', 14)}${pad('tfjs median', 13)}${pad('ratio', 8)}${pad('i-k-j loop', 12)}${pad('resode/i-k-j', 14)}`,
  );
  for (const r of rows) {
    const ratio = (r.resodeGflops / r.tfjsGflops).toFixed(1);
    const spread = `(${r.resodeWorstGflops.toFixed(2)}-${r.resodeBestGflops.toFixed(2)})`;
    console.log(
      `${r.shape.padEnd(20)}${pad(r.resodeGflops.toFixed(2), 15)}${pad(spread, 14)}${pad(r.tfjsGflops.toFixed(2), 13)}${pad(`${ratio}x`, 8)}${pad(r.ikjGflops.toFixed(2), 12)}${pad(`${r.speedupOverIkj.toFixed(2)}x`, 14)}`,
    );
  }
  console.log(
    'i-k-j loop: a plain loop over arrays passed as arguments, timed in samples alternating with resode; resode/i-k-j is the median ratio of those pairs (the load of the host cancels from it).',
  );
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) await main();
