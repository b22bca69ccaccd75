/**
 * What a fresh output array costs: writing every element of `count` new Float64Arrays of n
 * numbers (kept alive, as a training step's forward values are on its tape) against writing the
 * same number of arrays that are reused from the previous round. The difference is what an op
 * pays for storage that is not in cache (and, at first touch, not yet mapped), beyond its
 * arithmetic; it is why forward values cost more than the recycled cotangents of a backward pass.
 *
 * Run: pnpm bench:build && node bench/dist/fresh-arrays.js
 * (compiled, under plain Node, as `pnpm bench` runs it; `pnpm exec tsx --conditions=resode-source
 * bench/fresh-arrays.ts` runs the source, slower: see packages/tensor/src/kernels/matmul.ts)
 */
import { fileURLToPath } from 'node:url';

/** Writes i / 2 into every element of `count` arrays of n numbers, fresh or taken from `reuse`. */
function step(n: number, count: number, reuse?: Float64Array[]): Float64Array[] {
  const kept: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const a = reuse ? reuse[i]! : new Float64Array(n);
    for (let j = 0; j < n; j++) a[j] = j * 0.5;
    kept.push(a);
  }
  return kept;
}

/** Median µs per array over `samples` rounds (after 5 rounds of warm-up). */
function perArray(n: number, count: number, reuse: Float64Array[] | undefined, samples = 15): number {
  for (let w = 0; w < 5; w++) step(n, count, reuse);
  const us: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    step(n, count, reuse);
    us.push(((performance.now() - t0) / count) * 1000);
  }
  return us.sort((a, b) => a - b)[us.length >> 1]!;
}

function main(): void {
  // W1's activations ([128, 16], about 1300 a step) and W2's ([256, 64], 160 a step).
  for (const [n, count] of [
    [2048, 1300],
    [16384, 160],
  ] as const) {
    const pool = step(n, count);
    const fresh = perArray(n, count, undefined);
    const reused = perArray(n, count, pool);
    console.log(
      `${count} arrays of ${n} numbers: fresh ${fresh.toFixed(2)} µs an array (${((fresh * 1000) / n).toFixed(2)} ns a number), ` +
        `reused ${reused.toFixed(2)} µs (${((reused * 1000) / n).toFixed(2)} ns a number)`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
