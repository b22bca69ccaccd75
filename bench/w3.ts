/**
 * W3 (DESIGN.md, "Benchmark workloads"): the neural ODE of W2, f(t, y) = Linear(64 -> 2)(tanh(Linear(2 -> 64)(y))),
 * batch 256, dopri5 at rtol 1e-6, atol 1e-8 on [0, 1], loss = sum y(1)^2, gradients by the continuous
 * adjoint (@resode/adjoint, odeintAdjoint: the backward solve of [y, a, a_theta] with dopri5 at the same
 * tolerances), float64.
 *
 * Inputs: the portable generator of bench/peers (mulberry32 + Box-Muller, seed 2), as in w2.ts, so the
 * loss matches the peers' check value 523.1183560.
 *
 * `w3Resode()` builds the workload and returns one iteration, which reports the loss and the function
 * evaluations of the forward and backward solves. `w3ResodeSeminorm()` adds the seminorm of Kidger et al.
 * (2021) to the backward solve; `w3ResodeBackprop()` is the same solve differentiated by backprop through
 * dopri5 (what the PyTorch peer does: torchdiffeq is not packaged here).
 * Run directly:
 *   pnpm bench:build && node bench/dist/w3.js [iterations]
 * (or from source, slower: pnpm exec tsx --conditions=resode-source bench/w3.ts [iterations])
 * prints the median ms per iteration of both, and the PyTorch peer's W3 when python3-torch is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGradStats, type GradientStrategy, odeintGrad } from '@resode/adjoint';
import * as A from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { w2Field, w2Inputs } from './losses.js';
import { sampleMs } from './timing.js';

export type W3Result = { loss: number; nfeForward: number; nfeBackward: number };

/** W3's vector field f(t, y, [A, a, B, b]) = tanh(y A^T + a) B^T + b, its y0 [batch, 2] and its parameters. */
export function w3Problem(
  batch = 256,
  hidden = 64,
): { f: (t: number, y: A.Var, params: A.Var[]) => A.Var; y0: Tensor; params: Tensor[] } {
  const { y0, params } = w2Inputs(batch, hidden);
  const f = (_t: number, y: A.Var, [Aw, a, Bw, b]: A.Var[]) => w2Field(Aw!, a!, Bw!, b!)(y);
  return { f, y0, params };
}

function w3(gradient: GradientStrategy, batch: number, hidden: number, seminorm = false): () => W3Result {
  const { f, y0, params } = w3Problem(batch, hidden);
  let stats = createGradStats();
  // One gradient function for all iterations, so that each reuses the storage of the last one's tape.
  const step = A.valueAndGrad(
    (...ps) => {
      const ys = odeintGrad(f, y0, [0, 1], ps, {
        gradient,
        method: 'dopri5',
        rtol: 1e-6,
        atol: 1e-8,
        seminorm,
        stats,
      });
      return A.sum(A.square(A.index(ys, 1)));
    },
    { reuseStorage: true },
  );
  return () => {
    stats = createGradStats();
    const { value } = step(...params);
    return { loss: value.item(), nfeForward: stats.nfeForward, nfeBackward: stats.nfeBackward };
  };
}

/** W3 with the continuous adjoint: one iteration = forward solve + adjoint solve. */
export function w3Resode(batch = 256, hidden = 64): () => W3Result {
  return w3('adjoint', batch, hidden);
}

/** W3 with the continuous adjoint and the seminorm (a_theta left out of the backward error norm). */
export function w3ResodeSeminorm(batch = 256, hidden = 64): () => W3Result {
  return w3('adjoint', batch, hidden, true);
}

/** W3's solve differentiated by backprop through dopri5 instead (the PyTorch peer's method). */
export function w3ResodeBackprop(batch = 256, hidden = 64): () => W3Result {
  return w3('backprop', batch, hidden);
}

/** The PyTorch peer's W3 (bench/peers/torch_bench.py), or why it could not run. */
function torchW3(): string {
  const script = fileURLToPath(new URL('./peers/torch_bench.py', import.meta.url));
  if (!existsSync('/usr/bin/python3')) return 'PyTorch: skipped (no /usr/bin/python3)';
  const r = spawnSync('/usr/bin/python3', [script, '--only', 'W3'], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0)
    return `PyTorch: skipped (${(r.stderr || r.error?.message || 'failed').trim().split('\n').at(-1)})`;
  const out = JSON.parse(r.stdout) as {
    version: string;
    results: { W3: { medianMs: number; minMs: number; maxMs: number; check: number; nfe: number } };
  };
  const w = out.results.W3;
  return (
    `PyTorch ${out.version} (backprop through a hand-written dopri5): median ${w.medianMs.toFixed(2)} ms/iter ` +
    `(min ${w.minMs.toFixed(2)}, max ${w.maxMs.toFixed(2)}), loss ${w.check.toFixed(7)}, nfe forward ${w.nfe}`
  );
}

function main(): void {
  const iterations = Number(process.argv[2] ?? 10);
  for (const [name, run] of [
    ['resode, continuous adjoint', w3Resode()],
    ['resode, continuous adjoint + seminorm', w3ResodeSeminorm()],
    ['resode, backprop through dopri5', w3ResodeBackprop()],
  ] as const) {
    const t = sampleMs(run, iterations, 3);
    console.log(
      `W3 ${name}: median ${t.median.toFixed(2)} ms/iter (min ${t.min.toFixed(2)}, max ${t.max.toFixed(2)}, ` +
        `${iterations} iterations), loss ${t.last.loss.toFixed(7)}, nfe forward ${t.last.nfeForward}, backward ${t.last.nfeBackward}`,
    );
  }
  console.log(torchW3());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
