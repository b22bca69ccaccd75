/**
 * Timings of the resnet package on the workloads of DESIGN.md: W1 (a deep narrow ResNet, L = 256,
 * d = 16, batch 128, tanh, alpha = L^(-1/2), loss mean |h_L|^2 / 2, forward + backward) with the
 * ResNet class, and W5 (scalingAtInit, beta in {0.25, 0.5, 1}, L in {10, 100, 1000}, d = 64,
 * 20 samples). Prints wall and CPU times (CPU time is less disturbed by other processes).
 * Run: pnpm exec tsx --conditions=resode-source packages/resnet/bench/timing.ts
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { ResNet, scalingAtInit } from '../src/index.js';

/** Wall and CPU milliseconds of fn (CPU time is less disturbed by other processes on a busy machine). */
function time(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}
const stats = (xs: { wall: number; cpu: number }[]) => {
  const w = xs.map((x) => x.wall).sort((a, b) => a - b);
  const c = xs.map((x) => x.cpu).sort((a, b) => a - b);
  const mid = Math.floor(xs.length / 2);
  return `wall min ${w[0]!.toFixed(1)} / median ${w[mid]!.toFixed(1)} ms, cpu min ${c[0]!.toFixed(1)} / median ${c[mid]!.toFixed(1)} ms`;
};
const model = new ResNet({ depth: 256, width: 16, beta: 0.5, activation: 'tanh', seed: 0 });
const x = T.randn([128, 16], T.createRng(1));
const params = model.parameters();
const iter = () => {
  for (const p of params) p.grad = undefined;
  const loss = A.mul(A.mean(A.sum(A.square(model.forward(x)), 1)), 0.5);
  loss.backward();
};
for (let i = 0; i < 10; i++) iter();
console.log(`W1 ResNet forward+backward (30 runs): ${stats(Array.from({ length: 30 }, () => time(iter)))}`);
console.log(
  `W1 ResNet forward only (30 runs): ${stats(Array.from({ length: 30 }, () => time(() => A.noGrad(() => model.forward(x)))))}`,
);
const w5 = Array.from({ length: 3 }, (_, i) =>
  time(() =>
    scalingAtInit({ betas: [0.25, 0.5, 1], depths: [10, 100, 1000], width: 64, samples: 20, seed: i }),
  ),
);
console.log(`W5 scalingAtInit (3 runs): ${stats(w5)}`);
