/**
 * The integration loop: from y0 at ts[0] through every output time, with adaptive steps (error
 * control by control.ts) or fixed steps (`stepSize`). Output times are served by each step's dense
 * output, so they never shorten a step; only the final time, `stepTimes` and `jumpTimes` do.
 * Every decision (accept, reject, next h, event sign changes) is made on values; the tape holds
 * only the Runge-Kutta arithmetic of the accepted and rejected steps, and only the accepted ones
 * are reachable from the result.
 *
 * `solve` is the low-level entry (odeint stacks its result): it works on a state of any shape,
 * forwards or backwards in time, with a custom norm, which is what the adjoint method needs.
 */
import { noGrad, toVar, Var } from '@resode/autograd';
import { Tensor } from '@resode/tensor';
import { errorRatio, initialStep, PIController } from './control.js';
import { OdeOptionsError, SolverError } from './errors.js';
import { crosses, type EventResult, eventValue, locateEvent } from './events.js';
import { countedField, emptyStats, type SolverStats } from './field.js';
import { checkTimes, type ResolvedOptions, resolveOptions, type SolveOptions } from './options.js';
import type { StepContext, StepResult } from './stepper.js';
import { justBefore, stepTo } from './time.js';

export type SolveResult = {
  /** The state at each output time reached: ys[0] is y0 itself; all of ts unless an event stopped the solve. */
  ys: Var[];
  /** The output times reached: ts, or its prefix up to the event time. */
  ts: number[];
  stats: SolverStats;
  /** The event, if one stopped the solve: its time and the state there (both differentiable). */
  event?: EventResult;
  /** The size (positive) of the step an adaptive solve would try next: pass it as firstStep to continue seamlessly. */
  nextStep: number | undefined;
};

type VectorField = (t: number, y: Var) => Var | Tensor;

function allFinite(x: Tensor): boolean {
  const v = x.values();
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
}

/** The times a solve must land on, after t0 in the direction of travel, ending with the final time. */
function stopTimes(ts: readonly number[], o: ResolvedOptions, dir: number): number[] {
  const t0 = ts[0]!;
  const tEnd = ts[ts.length - 1]!;
  const inside = (t: number) => dir * (t - t0) > 0 && dir * (tEnd - t) > 0;
  const all = [...o.stepTimes, ...o.jumpTimes, ...(o.stepSize === undefined ? [] : ts)].filter(inside);
  return [...new Set([...all, tEnd])].sort((a, b) => dir * (a - b));
}

export function solve(
  f: VectorField,
  y0In: Var | Tensor,
  ts: readonly number[],
  opts: SolveOptions = {},
  who = 'solve',
): SolveResult {
  checkTimes(ts, who);
  const o = resolveOptions(opts, who);
  if (!(y0In instanceof Var) && !(y0In instanceof Tensor)) {
    throw new OdeOptionsError(`${who}: y0 must be a Var or a Tensor`);
  }
  const y0 = toVar(y0In);
  if (!allFinite(y0.value)) throw new OdeOptionsError(`${who}: y0 holds non-finite values`);
  const stats = emptyStats();
  const F = countedField(f, y0.shape, stats, who);
  const ctx: StepContext = { rtol: o.rtol, atol: o.atol, norm: o.norm, stats, newton: o.newton };
  const ys: Var[] = [y0];
  const dir = ts.length > 1 ? Math.sign(ts[ts.length - 1]! - ts[0]!) : 1;
  const jumps = new Set(o.jumpTimes);

  let t = ts[0]!;
  let y = y0;
  let f0: Var | undefined;
  let next = 1; // index of the next output time
  let steps = 0;
  let event: EventResult | undefined;
  let nextStep: number | undefined;
  const ev = o.event;
  let gLo = ev === undefined ? 0 : eventValue(ev.fn, t, y);
  const finish = (): SolveResult => ({
    ys,
    ts: ts.slice(0, ys.length),
    stats,
    ...(event === undefined ? {} : { event }),
    nextStep,
  });

  /** Outputs of the step ending at t1 up to time `until`, from its dense output. */
  const emit = (r: StepResult, t1: number, until: number) => {
    while (next < ts.length && dir * (ts[next]! - until) <= 0) {
      ys.push(ts[next] === t1 ? r.y1 : r.dense.at(ts[next]!));
      next++;
    }
  };
  /**
   * After an accepted step to t1: event check, outputs, advance to tNext (= t1, or the jump time
   * when the step ended just before one). True when an event stops the solve.
   */
  const accept = (r: StepResult, t1: number, tNext = t1): boolean => {
    stats.accepted++;
    if (ev !== undefined) {
      const gHi = eventValue(ev.fn, t1, r.y1);
      if (crosses(gLo, gHi, ev.direction)) {
        const located = locateEvent(ev, r.dense, gLo, gHi);
        emit(r, t1, located.tStar);
        event = located.result;
        return true;
      }
      gLo = gHi;
    }
    emit(r, t1, t1);
    f0 = tNext !== t1 ? undefined : r.f1.peek();
    t = tNext;
    y = r.y1;
    return false;
  };
  const where = (h: number) => ({ t, h, steps });
  const tooMany = (h: number) =>
    new SolverError(
      `more than maxSteps = ${o.maxSteps} steps were needed (raise opts.maxSteps, or the problem may be stiff)`,
      where(h),
    );

  if (ts.length === 1) return finish();
  const stops = stopTimes(ts, o, dir);

  if (o.stepSize !== undefined) {
    // Fixed steps: each interval between stops in n equal steps of at most stepSize.
    for (const stop of stops) {
      const start = t;
      const n = Math.max(1, Math.ceil(Math.abs(stop - start) / o.stepSize - 1e-9));
      const end = jumps.has(stop) ? justBefore(stop, dir) : stop;
      for (let j = 1; j <= n; j++) {
        const t1 = j === n ? end : start + ((stop - start) * j) / n;
        const h = stepTo(t, t1);
        if (steps >= o.maxSteps) throw tooMany(h);
        f0 ??= F(t, y);
        const r = o.stepper.step(F, t, y, h, f0, ctx);
        steps++;
        if ('failed' in r) throw new SolverError(`${r.failed}; try a smaller stepSize`, where(h));
        if (!allFinite(r.y1.value))
          throw new SolverError('the state became non-finite (inf or NaN)', where(h));
        if (accept(r, t1, j === n ? stop : t1)) return finish();
      }
    }
    return finish();
  }

  // Adaptive steps.
  const stepper = o.stepper;
  const errorOrder = Math.min(stepper.order, stepper.errorOrder!);
  const controller = new PIController(errorOrder, o.controller);
  f0 = F(t, y);
  if (!allFinite(f0.value)) throw new SolverError('f(t0, y0) is not finite', where(Number.NaN));
  const span = ts[ts.length - 1]! - ts[0]!;
  let h =
    o.firstStep ??
    noGrad(() => initialStep(F, t, y.value, f0!.value, dir, stepper.order, o.rtol, o.atol, o.firstStepNorm));
  if (!(h > 0)) h = 1e-6 * Math.abs(span);
  h = dir * Math.min(h, o.maxStep);
  let lastTrouble = '';
  for (const stop of stops) {
    const end = jumps.has(stop) ? justBefore(stop, dir) : stop;
    while (dir * (stop - t) > 0) {
      if (steps >= o.maxSteps) throw tooMany(h);
      let hTry = h;
      let t1 = t + h;
      const clipped = dir * (t1 - end) >= 0;
      if (clipped) {
        hTry = stepTo(t, end);
        t1 = end;
      }
      const floor = Math.max(o.minStep, 4 * Number.EPSILON * Math.max(Math.abs(t), 1e-3 * Math.abs(span)));
      if (!clipped && Math.abs(hTry) < floor) {
        throw new SolverError(
          `the step size fell below the minimum ${floor.toExponential(3)}${lastTrouble}`,
          where(hTry),
        );
      }
      f0 ??= F(t, y);
      const r = stepper.step(F, t, y, hTry, f0, ctx);
      steps++;
      if ('failed' in r) {
        stats.rejected++;
        lastTrouble = ` (last rejection: ${r.failed})`;
        h = hTry / 4;
        continue;
      }
      const finite = allFinite(r.y1.value);
      const e = finite
        ? o.norm(errorRatio(r.yErr!, y.value, r.y1.value, o.rtol, o.atol))
        : Number.POSITIVE_INFINITY;
      if (!(e <= 1)) {
        stats.rejected++;
        lastTrouble = finite ? '' : ' (the last trial state was non-finite: inf or NaN)';
        h = controller.propose(hTry, e, false);
        continue;
      }
      lastTrouble = '';
      const proposed = controller.propose(hTry, e, true);
      // A step shortened to land on a stop says little about the step size: keep the longer one.
      h = dir * Math.min(o.maxStep, clipped ? Math.max(Math.abs(proposed), Math.abs(h)) : Math.abs(proposed));
      nextStep = Math.abs(h);
      if (accept(r, t1, clipped ? stop : t1)) return finish();
    }
  }
  return finish();
}
