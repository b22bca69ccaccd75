/**
 * The steps a solve took, recovered by wrapping its stepper: a Stepper of our own passes every
 * attempt through and writes down (t0, h). An attempt was accepted exactly when the next attempt
 * starts at a later time (a rejected step is retried from the same t0), or when it is the last one.
 * Replaying the accepted steps with the same stepper, the same h and the same context reproduces
 * the discrete solution operation by operation, which is what checkpointing needs. That holds for
 * steppers that keep no state between calls (every explicit Runge-Kutta method). The implicit (DIRK)
 * stepper reuses the Jacobian of a rejected attempt when it retries from the same state, so a
 * replayed step, which starts afresh, matches the original only to the Newton tolerance.
 */
import { getMethod, type OdeintOptions, type StepContext, type Stepper } from '@resode/ode';

export type GridStep = { t0: number; t1: number; h: number };

export type StepGrid = {
  steps: GridStep[];
  /** The context the solver gave its stepper (tolerances, Newton options): the replay reuses it. */
  ctx: StepContext | undefined;
  stepper: Stepper;
};

export function recordingStepper(opts: OdeintOptions): { stepper: Stepper; grid: () => StepGrid } {
  const m = opts.method ?? 'dopri5';
  const inner = typeof m === 'string' ? getMethod(m) : m;
  const attempts: { t0: number; h: number }[] = [];
  let ctx: StepContext | undefined;
  const stepper: Stepper = {
    name: inner.name,
    order: inner.order,
    errorOrder: inner.errorOrder,
    step(f, t0, y0, h, f0, c) {
      attempts.push({ t0, h });
      ctx ??= c;
      return inner.step(f, t0, y0, h, f0, c);
    },
  };
  const grid = (): StepGrid => {
    const steps: GridStep[] = [];
    attempts.forEach((a, j) => {
      const next = attempts[j + 1];
      if (next === undefined) steps.push({ t0: a.t0, t1: a.t0 + a.h, h: a.h });
      else if (next.t0 !== a.t0) steps.push({ t0: a.t0, t1: next.t0, h: a.h });
    });
    return { steps, ctx, stepper: inner };
  };
  return { stepper, grid };
}
