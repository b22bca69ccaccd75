/**
 * Discretize-then-optimise with checkpointing: the exact gradient of the discrete solver (what
 * backpropagation through odeint computes) with memory bounded by a number of checkpoints.
 *
 * Forward: one solve under noGrad, keeping the outputs and the step grid (t_k, h_k), two numbers a
 * step, no states. Backward: the steps are reversed one at a time, each by the VJP of a single
 * recorded step y_k -> y_{k+1} (and the outputs its dense output serves), which needs y_k: states
 * are recomputed forward from checkpoints, by one of two schedules:
 *
 * - 'binomial' (Griewank 1992, "Achieving logarithmic growth of temporal and spatial complexity in
 *   reverse automatic differentiation"; the schedule of `revolve`, Griewank & Walther 2000):
 *   with s free checkpoints and at most r forward recomputations of any step, one can reverse
 *   beta(s, r) = C(s + r, s) steps. To reverse l steps we take the least r with beta(s, r) >= l,
 *   advance l1 steps to a checkpoint, reverse the right part with s - 1 checkpoints, then the left
 *   part with s again; any l1 in [l - beta(s - 1, r), beta(s, r - 1)] keeps every step within r
 *   recomputations (Pascal's rule beta(s, r) = beta(s - 1, r) + beta(s, r - 1)). Memory: s states,
 *   whatever the number of steps; time: about r N steps, r growing like N^(1/s).
 * - 'uniform' (sqrt(N) checkpointing, Chen et al. 2016, "Training deep nets with sublinear memory
 *   cost"): checkpoints every K = ceil(N / c) steps, each segment recomputed once with all its
 *   states stored. Memory: c + K states (2 sqrt(N) at c = sqrt(N)); time: 2 N steps.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import type { OdeintOptions } from '@resode/ode';
import type { Tensor } from '@resode/tensor';
import { AdjointError } from '../errors.js';
import type { ParamField } from './augmented.js';
import { forwardSolve } from './odeint-adjoint.js';
import type { GradStats } from './stats.js';
import { type GridStep, recordingStepper, type StepGrid } from './step-grid.js';

export type CheckpointSchedule = 'binomial' | 'uniform';

/** The least r with C(s + r, s) >= l (the repetition number of binomial checkpointing). */
export function repetitions(l: number, s: number): number {
  let r = 0;
  while (binomial(s + r, s) < l) r++;
  return r;
}

/** C(n, k) as a float (exact while it is below 2^53). */
export function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** Where the outputs fall: output i (i >= 1) is served by the first step whose end reaches it. */
function outputsByStep(steps: readonly GridStep[], times: readonly number[]): number[][] {
  const dir = Math.sign(times[times.length - 1]! - times[0]!) || 1;
  const by = steps.map(() => [] as number[]);
  let next = 1;
  steps.forEach((s, k) => {
    while (next < times.length && dir * (times[next]! - s.t1) <= 0) by[k]!.push(next++);
  });
  return by;
}

/** Replays steps of the recorded grid: forward on values, and the VJP of one step. */
class StepReplay {
  stepsRecomputed = 0;
  nfe = 0;
  constructor(
    private readonly f: ParamField,
    private readonly grid: StepGrid,
    private readonly params: readonly Tensor[],
    private readonly times: readonly number[],
    private readonly outputs: number[][],
  ) {}

  private run(k: number, y: Var, ps: readonly Var[]) {
    const { t0, t1, h } = this.grid.steps[k]!;
    const F = (t: number, yy: Var) => {
      this.nfe++;
      return this.f(t, yy, [...ps]);
    };
    const ctx = this.grid.ctx ?? {
      rtol: 1e-7,
      atol: 1e-9,
      norm: () => 0,
      stats: { nfe: 0, accepted: 0, rejected: 0, jacobians: 0 },
      newton: { tol: 1e-4, maxIters: 12 },
    };
    const r = this.grid.stepper.step(F, t0, y, h, F(t0, y), ctx);
    if ('failed' in r)
      throw new AdjointError(`checkpoint replay: step ${k} at t = ${t0}, h = ${h} failed: ${r.failed}`);
    return { r, t1 };
  }

  /** y_{k+1} from y_k, no tape. */
  advance(k: number, y: Tensor): Tensor {
    this.stepsRecomputed++;
    const ps = this.params.map((p) => A.constant(p));
    return A.noGrad(() => this.run(k, A.constant(y), ps).r.y1.value);
  }

  /**
   * The VJP of step k at y_k: given a = dL/dy_{k+1} and the output cotangents, returns dL/dy_k and
   * adds this step's share to the parameter gradients.
   */
  vjp(k: number, y: Tensor, a: Tensor, cts: readonly Tensor[], paramGrads: Tensor[]): Tensor {
    const { pullback } = A.vjp(
      (yy, ...ps) => {
        const { r, t1 } = this.run(k, yy, ps);
        let s = A.dot(r.y1, a);
        for (const i of this.outputs[k]!) {
          const out = this.times[i] === t1 ? r.y1 : r.dense.at(this.times[i]!);
          s = s.add(A.dot(out, cts[i]!));
        }
        return s;
      },
      y,
      ...this.params,
    );
    const [gy, ...gp] = pullback(1);
    gp.forEach((g, i) => {
      paramGrads[i] = A.noGrad(() => A.add(paramGrads[i]!, g).value);
    });
    return gy!.value;
  }
}

export type CheckpointBackward = {
  aY0: Tensor;
  aParams: Tensor[];
  stepsRecomputed: number;
  nfe: number;
  peakStoredStates: number;
};

/** The backward pass of checkpointed backprop over a recorded grid. */
export function checkpointBackward(
  f: ParamField,
  grid: StepGrid,
  y0: Tensor,
  times: readonly number[],
  params: readonly Tensor[],
  cts: readonly Tensor[],
  checkpoints: number,
  schedule: CheckpointSchedule,
): CheckpointBackward {
  if (!Number.isInteger(checkpoints) || checkpoints < 1) {
    throw new AdjointError(`checkpoints must be a positive integer, got ${checkpoints}`);
  }
  const N = grid.steps.length;
  const replay = new StepReplay(f, grid, params, times, outputsByStep(grid.steps, times));
  const paramGrads = params.map((p) => A.noGrad(() => A.constant(p).mul(0).value));
  // Stored states: the outputs and y0 always; checkpoints and segment states as they come and go.
  const base = times.length + 1;
  let held = 0;
  let peak = base;
  const hold = (n: number) => {
    held += n;
    peak = Math.max(peak, base + held);
  };
  // dL/dy_N starts at zero: every output's cotangent, the last one included, enters through the VJP
  // of the step that serves it; output 0 (y0 itself) through the final sum.
  let a = A.noGrad(() => A.constant(y0).mul(0).value);
  const step = (k: number, y: Tensor) => {
    a = replay.vjp(k, y, a, cts, paramGrads);
  };

  if (schedule === 'uniform') {
    const K = Math.ceil(N / checkpoints);
    const starts: Tensor[] = [];
    let y = y0;
    for (let k = 0; k < N; k++) {
      if (k % K === 0) {
        starts.push(y);
        hold(1);
      }
      if (k < N - 1) y = replay.advance(k, y);
    }
    for (let seg = starts.length - 1; seg >= 0; seg--) {
      const first = seg * K;
      const last = Math.min(N, first + K);
      const states = [starts[seg]!];
      for (let k = first; k < last - 1; k++) states.push(replay.advance(k, states[states.length - 1]!));
      hold(states.length - 1);
      for (let k = last - 1; k >= first; k--) step(k, states[k - first]!);
      hold(-(states.length - 1) - 1);
    }
  } else {
    // Binomial: reverse steps [i, j) from y_i with s free checkpoints.
    const reverse = (i: number, j: number, yi: Tensor, s: number): void => {
      const l = j - i;
      if (l === 1) {
        step(i, yi);
        return;
      }
      if (s === 0) {
        for (let k = j - 1; k >= i; k--) {
          let y = yi;
          for (let m = i; m < k; m++) y = replay.advance(m, y);
          step(k, y);
        }
        return;
      }
      const r = repetitions(l, s);
      const l1 = Math.min(l - 1, Math.max(1, l - binomial(s - 1 + r, s - 1)));
      let y = yi;
      for (let m = i; m < i + l1; m++) y = replay.advance(m, y);
      hold(1);
      reverse(i + l1, j, y, s - 1);
      hold(-1);
      reverse(i, i + l1, yi, s);
    };
    if (N > 0) reverse(0, N, y0, checkpoints);
  }
  const aY0 = A.noGrad(() => A.add(a, cts[0]!).value);
  return {
    aY0,
    aParams: paramGrads,
    stepsRecomputed: replay.stepsRecomputed,
    nfe: replay.nfe,
    peakStoredStates: peak,
  };
}

export type CheckpointOptions = OdeintOptions & {
  /** Number of checkpoints (states kept besides y0 and the outputs); default 8. */
  checkpoints?: number;
  schedule?: CheckpointSchedule;
  stats?: GradStats;
};

/**
 * odeint differentiated by checkpointed backpropagation: the same gradients as backprop through
 * odeint (the discrete solver's exact derivative), with O(checkpoints) stored states.
 */
export function odeintCheckpointed(
  f: ParamField,
  y0: Var | Tensor,
  ts: readonly number[],
  params: readonly Var[],
  opts: CheckpointOptions = {},
): Var {
  const times = [...ts];
  const checkpoints = opts.checkpoints ?? 8;
  const schedule = opts.schedule ?? 'binomial';
  if (schedule !== 'binomial' && schedule !== 'uniform') {
    throw new AdjointError(`schedule must be 'binomial' or 'uniform', got '${String(schedule)}'`);
  }
  if (!Number.isInteger(checkpoints) || checkpoints < 1) {
    throw new AdjointError(`checkpoints must be a positive integer, got ${checkpoints}`);
  }
  const stats = opts.stats;
  let grid: StepGrid | undefined;
  const op = A.customVjp(
    (y0c, ...ps) => {
      const rec = recordingStepper(opts);
      const fw = forwardSolve(
        f,
        y0c.value,
        times,
        ps.map((p) => p.value),
        { ...opts, method: rec.stepper },
      );
      grid = rec.grid();
      if (stats) {
        stats.nfeForward += fw.nfe;
        stats.stepsForward += fw.steps;
        stats.rejectedForward += fw.rejected;
        stats.peakStoredStates = Math.max(stats.peakStoredStates, fw.ys.length + 1);
      }
      return A.stack(fw.ys.map((y) => A.constant(y)));
    },
    (ct, _out, y0v, ...ps) => {
      const cts = times.map((_, i) => ct.value.index(i));
      const back = checkpointBackward(
        f,
        grid!,
        y0v!.value,
        times,
        ps.map((p) => p.value),
        cts,
        checkpoints,
        schedule,
      );
      if (stats) {
        stats.nfeBackward += back.nfe;
        stats.stepsRecomputed += back.stepsRecomputed;
        stats.peakStoredStates = Math.max(stats.peakStoredStates, back.peakStoredStates);
      }
      return [back.aY0, ...back.aParams];
    },
    'odeintCheckpointed',
  );
  return op(A.toVar(y0), ...params);
}
