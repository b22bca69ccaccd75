/**
 * The narrow contract between a method and the integration loop (DESIGN.md, habit 8): a method
 * takes one step and returns { y1, yErr, dense }; it knows nothing about tolerances' effect on h,
 * output times or events, which live in control.ts, solve.ts and events.ts.
 */
import type { Var } from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import type { Field, SolverStats } from './field.js';

/** The solution inside one step, t between t0 and t1 = t0 + h (h may be negative). */
export interface Interpolant {
  readonly t0: number;
  readonly t1: number;
  at(t: number): Var;
}

/** An error-ratio norm: maps err / (atol + rtol max(|y0|, |y1|)) to one number; a step is accepted when it is <= 1. */
export type Norm = (ratio: Tensor) => number;

export type NewtonOptions = {
  /** Newton stops when the scaled norm of its update is below this (in units of the error tolerance). */
  tol: number;
  maxIters: number;
};

/** What a step may need besides the state: tolerances (for Newton's stopping test) and the counters. */
export type StepContext = {
  rtol: number;
  atol: number;
  norm: Norm;
  stats: SolverStats;
  newton: NewtonOptions;
};

export type StepResult = {
  y1: Var;
  /** The local error estimate, as values only: step control never goes on the tape. */
  yErr: Tensor | undefined;
  /** Dense output over the step (the method's own interpolant, or cubic Hermite). */
  dense: Interpolant;
  /** f(t1, y1): free for FSAL methods, else computed on first use (then reused by the next step). */
  f1: Lazy<Var>;
};

/** An implicit step whose Newton iteration failed: the loop retries with a smaller step. */
export type StepFailure = { failed: string };

export interface Stepper {
  readonly name: string;
  /** Order of y1. */
  readonly order: number;
  /** Order of the embedded solution the error estimate compares with; undefined: fixed-step only. */
  readonly errorOrder: number | undefined;
  /** One step from (t0, y0) of size h, given f0 = f(t0, y0). */
  step(f: Field, t0: number, y0: Var, h: number, f0: Var, ctx: StepContext): StepResult | StepFailure;
}

/** A value computed at most once, on first use. */
export class Lazy<T> {
  private value: T | undefined;
  private make: (() => T) | undefined;

  constructor(make: () => T) {
    this.make = make;
  }
  static of<T>(value: T): Lazy<T> {
    const l = new Lazy<T>(() => value);
    l.get();
    return l;
  }
  get(): T {
    if (this.make !== undefined) {
      this.value = this.make();
      this.make = undefined;
    }
    return this.value as T;
  }
  /** The value if it was already computed. */
  peek(): T | undefined {
    return this.make === undefined ? this.value : undefined;
  }
}
