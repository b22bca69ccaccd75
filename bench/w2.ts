/**
 * W2 (DESIGN.md, "Benchmark workloads"): a neural ODE f(t, y) = Linear(64 -> 2)(tanh(Linear(2 -> 64)(y))),
 * batch 256, classic RK4 with step 0.05 on [0, 1] (20 steps, 80 evaluations of f), loss = sum y(1)^2,
 * forward and backward through the solver, float64.
 *
 * Inputs come from the portable generator of bench/peers (mulberry32 + Box-Muller, seed 2: y0
 * [256, 2], then A [64, 2], a [64], B [2, 64], b [2], PyTorch's default Linear init bounds), so the
 * loss matches the peers' check value 523.1183549 (the PyTorch peer's rk4 being the classic one too).
 *
 * `w2Resode()` builds the workload and returns one iteration (returning the loss). Run directly:
 *   pnpm exec tsx --conditions=resode-source bench/w2.ts [iterations]
 * prints the median ms per iteration.
 */
import * as A from '@resode/autograd';
import { odeint } from '@resode/ode';
import { Tensor } from '@resode/tensor';

/** Uniform floats in [0, 1); bit-identical to mulberry32 in bench/peers. */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function portableNormal(rng: () => number, shape: number[]): Tensor {
  const v = new Float64Array(shape.reduce((p, n) => p * n, 1));
  for (let i = 0; i < v.length; i++) {
    const u1 = rng();
    const u2 = rng();
    v[i] = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
  return Tensor.view(v, shape);
}

function portableUniform(rng: () => number, shape: number[], bound: number): Tensor {
  const v = new Float64Array(shape.reduce((p, n) => p * n, 1));
  for (let i = 0; i < v.length; i++) v[i] = bound * (2 * rng() - 1);
  return Tensor.view(v, shape);
}

export function w2Resode(h = 0.05, batch = 256, hidden = 64): () => number {
  const rng = mulberry32(2);
  const y0 = portableNormal(rng, [batch, 2]);
  const A0 = portableUniform(rng, [hidden, 2], 2 ** -0.5);
  const a0 = portableUniform(rng, [hidden], 2 ** -0.5);
  const B0 = portableUniform(rng, [2, hidden], hidden ** -0.5);
  const b0 = portableUniform(rng, [2], hidden ** -0.5);
  const loss = (Aw: A.Var, a: A.Var, Bw: A.Var, b: A.Var) => {
    const At = A.transpose(Aw);
    const Bt = A.transpose(Bw);
    const f = (_t: number, y: A.Var) => A.tanh(A.matmul(y, At).add(a)).matmul(Bt).add(b);
    const ys = odeint(f, y0, [0, 1], { method: 'rk4', stepSize: h });
    return A.sum(A.square(A.index(ys, 1)));
  };
  const step = A.valueAndGrad(loss);
  return () => step(A0, a0, B0, b0).value.item();
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 30);
  const run = w2Resode();
  let check = 0;
  for (let i = 0; i < 5; i++) check = run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    check = run();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `W2 resode (rk4, h = 0.05, batch 256, forward + backward): median ${median.toFixed(2)} ms/iter ` +
      `(min ${times[0]!.toFixed(2)}, max ${times.at(-1)!.toFixed(2)}, ${iterations} iterations), loss ${check.toFixed(7)}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
