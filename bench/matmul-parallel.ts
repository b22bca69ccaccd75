/**
 * W4 on both cores: GFLOP/s of `matmulParallel` (this thread + one worker thread) beside `matmul`
 * (one thread) on the same products, float64, after a warm-up; medians of timed samples.
 * Run: pnpm bench:build && node bench/dist/matmul-parallel.js [--quick]
 * (compiled, under plain Node, as `pnpm bench` runs it; `pnpm exec tsx --conditions=resode-source
 * bench/matmul-parallel.ts` runs the source, slower: see packages/tensor/src/kernels/matmul.ts)
 */
import { fileURLToPath } from 'node:url';
import { createRng, matmul, matmulParallel, randn, startMatmulWorker, type Tensor } from '@resode/tensor';

export type ParallelResult = {
  shape: string;
  oneThreadGflops: number;
  twoThreadsGflops: number;
  speedup: number;
};

const SHAPES: readonly (readonly [number, number, number])[] = [
  [256, 256, 256],
  [128, 128, 128],
  [64, 64, 64],
  [512, 512, 512],
];

/** Median GFLOP/s of `run` over `samples` samples of about `sampleMs` each, after a warm-up. */
function gflops(run: () => unknown, flops: number, samples: number, sampleMs: number): number {
  const t0 = performance.now();
  let calls = 0;
  while (performance.now() - t0 < 4 * sampleMs || calls < 3) {
    run();
    calls++;
  }
  const reps = Math.max(1, Math.round(sampleMs / ((performance.now() - t0) / calls)));
  const rates: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) run();
    rates.push(flops / ((performance.now() - t) / reps) / 1e6);
  }
  rates.sort((x, y) => x - y);
  return rates[rates.length >> 1]!;
}

/** One and two threads on each shape, interleaved so that machine load hits both alike. */
export async function benchMatmulParallel({ quick = false } = {}): Promise<ParallelResult[]> {
  await startMatmulWorker();
  const rng = createRng(4);
  return SHAPES.filter(([m]) => !quick || m <= 256).map(([m, k, n]) => {
    const a: Tensor = randn([m, k], rng);
    const b: Tensor = randn([k, n], rng);
    const flops = 2 * m * k * n;
    let one = 0;
    let two = 0;
    for (let round = 0; round < 3; round++) {
      one = Math.max(
        one,
        gflops(() => matmul(a, b), flops, quick ? 3 : 7, quick ? 20 : 60),
      );
      two = Math.max(
        two,
        gflops(() => matmulParallel(a, b), flops, quick ? 3 : 7, quick ? 20 : 60),
      );
    }
    return { shape: `${m}x${k}x${n}`, oneThreadGflops: one, twoThreadsGflops: two, speedup: two / one };
  });
}

async function main(): Promise<void> {
  const rows = await benchMatmulParallel({ quick: process.argv.includes('--quick') });
  console.log('matmul GFLOP/s, float64 (best of 3 interleaved rounds of medians)');
  console.log('shape (m x k x n)   1 thread  2 threads  speedup');
  for (const r of rows) {
    console.log(
      `${r.shape.padEnd(18)}${r.oneThreadGflops.toFixed(2).padStart(9)}${r.twoThreadsGflops.toFixed(2).padStart(11)}${r.speedup.toFixed(2).padStart(9)}x`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
