/**
 * ns per tanh: resode's kernel (`scalarTanh`, packages/tensor/src/kernels/tanh.ts) against V8's
 * `Math.tanh`, each in a plain loop over 16384 normal samples (scale 1.5, W2's range). Rounds
 * alternate between the two, so that the host's load falls on both alike.
 *
 * Run: pnpm bench:build && node bench/dist/tanh.js
 * (compiled, under plain Node, as `pnpm bench` runs it; `pnpm exec tsx --conditions=resode-source
 * bench/tanh.ts` runs the source, slower: see packages/tensor/src/kernels/matmul.ts)
 */
import { fileURLToPath } from 'node:url';
import { createRng, mul, randn, scalarTanh } from '@resode/tensor';

function main(): void {
  const n = 16384;
  const x = mul(randn([256, 64], createRng(3)), 1.5);
  const xs = x.values();
  const out = new Float64Array(n);
  const kernel = scalarTanh;
  const runs: Record<string, () => void> = {
    'scalarTanh loop': () => {
      for (let i = 0; i < n; i++) out[i] = kernel(xs[i]!);
    },
    'Math.tanh loop': () => {
      for (let i = 0; i < n; i++) out[i] = Math.tanh(xs[i]!);
    },
  };
  const ns: Record<string, number[]> = {};
  for (const [name, run] of Object.entries(runs)) {
    ns[name] = [];
    for (let i = 0; i < 200; i++) run();
  }
  for (let round = 0; round < 21; round++) {
    for (const [name, run] of Object.entries(runs)) {
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) run();
      ns[name]!.push(((performance.now() - t0) / 20 / n) * 1e6);
    }
  }
  for (const [name, v] of Object.entries(ns)) {
    v.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(20)} median ${v[v.length >> 1]!.toFixed(2)} ns a tanh (best ${v[0]!.toFixed(2)})`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
