/**
 * Checks reverse-mode derivatives against central finite differences, along random directions
 * (as HIPS autograd does): for random u (output-shaped) and v (input-shaped),
 *   <u, J v>   ~ (<u, f(x + eps v)> - <u, f(x - eps v)>) / (2 eps)    (error O(eps^2))
 *   <J^T u, v> from the VJP.
 * One scalar comparison per trial tests the whole Jacobian at once. With `order: 2`, the VJP
 * itself is checked the same way (which needs grad of grad).
 */
import * as T from '@resode/tensor';
import { createRng, type Rng } from '@resode/tensor';
import { AutogradError } from './errors.js';
import { noGrad } from './mode.js';
import { constant, dot, toVar } from './ops.js';
import { type Fn, vjp } from './transforms.js';
import type { Var, VarLike } from './var.js';

export type GradcheckOptions = {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Random directions tried (default 3). */
  trials?: number;
  /** 1: the VJP; 2: also the VJP of the VJP. */
  order?: 1 | 2;
  seed?: number;
};

export type GradcheckTrial = {
  order: number;
  finiteDifference: number;
  vjp: number;
  error: number;
  ok: boolean;
};
export type GradcheckReport = {
  ok: boolean;
  maxError: number;
  worst: GradcheckTrial | undefined;
  trials: GradcheckTrial[];
};

function directionalCheck(
  f: Fn,
  xs: Var[],
  rng: Rng,
  o: Required<GradcheckOptions>,
  order: number,
): GradcheckTrial[] {
  const trials: GradcheckTrial[] = [];
  for (let t = 0; t < o.trials; t++) {
    const { out, pullback } = vjp(f, ...xs);
    const u = T.randn(out.shape, rng);
    const vs = xs.map((x) => T.randn(x.shape, rng));
    const cts = pullback(u);
    const viaVjp = cts.reduce((s, c, i) => s + T.sum(T.mul(c.value, vs[i]!)).item(), 0);
    const probe = (sign: number) =>
      noGrad(() => {
        const shifted = xs.map((x, i) => constant(T.add(x.value, T.mul(vs[i]!, sign * o.eps))));
        return T.sum(T.mul(f(...shifted).value, u)).item();
      });
    const fd = (probe(1) - probe(-1)) / (2 * o.eps);
    const error = Math.abs(fd - viaVjp) / (o.atol + o.rtol * Math.max(Math.abs(fd), Math.abs(viaVjp)));
    trials.push({ order, finiteDifference: fd, vjp: viaVjp, error, ok: error <= 1 });
  }
  return trials;
}

/**
 * Returns a report, never prints. `error` is |fd - vjp| / (atol + rtol max(|fd|, |vjp|)): a trial
 * passes when it is at most 1.
 */
export function gradcheck(f: Fn, xs: readonly VarLike[], opts: GradcheckOptions = {}): GradcheckReport {
  const o: Required<GradcheckOptions> = {
    eps: opts.eps ?? 1e-6,
    rtol: opts.rtol ?? 1e-5,
    atol: opts.atol ?? 1e-8,
    trials: opts.trials ?? 3,
    order: opts.order ?? 1,
    seed: opts.seed ?? 0,
  };
  const rng = createRng(o.seed);
  const inputs = xs.map((x) => constant(toVar(x).value));
  const trials = directionalCheck(f, inputs, rng, o, 1);
  if (o.order === 2) {
    // g(x) = <J(x)^T w, v-direction> is a scalar function of x whose gradient needs grad of grad.
    const probeOut = noGrad(() => f(...inputs));
    const w = constant(T.randn(probeOut.shape, rng));
    const second: Fn = (...ys) => {
      const cts = vjp(f, ...ys).pullback(w);
      return cts
        .map((c, i) => dot(c, T.randn(ys[i]!.shape, createRng(o.seed + 1000 + i))))
        .reduce((a, b) => a.add(b));
    };
    trials.push(...directionalCheck(second, inputs, rng, o, 2));
  }
  const worst = trials.reduce<GradcheckTrial | undefined>(
    (w, t) => (w === undefined || t.error > w.error ? t : w),
    undefined,
  );
  return { ok: trials.every((t) => t.ok), maxError: worst?.error ?? 0, worst, trials };
}

/** gradcheck that throws an AutogradError carrying the report when a trial fails. */
export function assertGradcheck(f: Fn, xs: readonly VarLike[], opts: GradcheckOptions = {}): GradcheckReport {
  const report = gradcheck(f, xs, opts);
  if (!report.ok) {
    const w = report.worst!;
    throw new AutogradError(
      `gradcheck failed (order ${w.order}): finite differences give ${w.finiteDifference}, the VJP gives ${w.vjp} ` +
        `(error ${w.error.toFixed(3)} x tolerance) over ${report.trials.length} trials`,
    );
  }
  return report;
}
