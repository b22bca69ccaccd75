/**
 * Events: stop the solve at the first root of a scalar event function g(t, y) along the solution.
 *
 * After each accepted step the loop compares the sign of g at both ends; on a sign change it looks
 * for the root of s(t) = g(t, P(t)) inside the step, P being the step's dense output, by the
 * Illinois variant of regula falsi (Dowell & Jarratt 1971) with bisection as a safeguard. No extra
 * steps are taken.
 *
 * The event time is differentiable (as in torchdiffeq's odeint_event, Chen, Amos, Nickel 2021).
 * t* solves s(t*) = 0; by the implicit function theorem a change of the inputs (y0, parameters)
 * moves it by dt* = -ds / s'(t*), where ds is the change of g(t*, P(t*)) at fixed t*. So
 *   t_event = t* - (G - value(G)) / s'(t*),     G = g(t*, P(t*)) recorded on the tape,
 * has the value t* and exactly that derivative, and the state there,
 *   y_event = P(t*) + P'(t*) (t_event - t*),
 * has the value P(t*) and the derivative dP(t*) + P'(t*) dt*. s' and P' are taken by central
 * differences of the interpolating polynomial, which they differentiate to rounding error.
 */
import { constant, noGrad, sub, toVar, type Var } from '@resode/autograd';
import * as T from '@resode/tensor';
import { linearCombination } from './linear-combination.js';
import type { Interpolant } from './stepper.js';

export type EventOptions = {
  /** g(t, y): the solve stops at the first root of g after ts[0]. Return a Var for a differentiable event time. */
  fn: (t: number, y: Var) => Var | number;
  /** Which sign changes count: 'rising' (- to +), 'falling' (+ to -) or 'either' (default). */
  direction?: 'rising' | 'falling' | 'either';
  /** Absolute tolerance on the event time (default 1e-12 * max(1, |t|)). */
  tol?: number;
};

export type EventResult = { t: Var; y: Var };

/** g(t, y) as a plain number (under noGrad). */
export function eventValue(g: EventOptions['fn'], t: number, y: Var): number {
  return noGrad(() => toVar(g(t, y)).value.item());
}

/** True when g goes from gLo to gHi across a root in the chosen direction. */
export function crosses(gLo: number, gHi: number, direction: EventOptions['direction'] = 'either'): boolean {
  const rising = gLo < 0 && gHi >= 0;
  const falling = gLo > 0 && gHi <= 0;
  return direction === 'rising' ? rising : direction === 'falling' ? falling : rising || falling;
}

/** The root of s in [a, b] given s(a), s(b) of opposite signs (or s(b) = 0), to |b - a| <= tol. */
export function findRoot(
  s: (t: number) => number,
  a: number,
  sa: number,
  b: number,
  sb: number,
  tol: number,
): number {
  if (sb === 0) return b;
  // Illinois: when the same endpoint survives twice, halve its (working) function value so that the
  // next secant point lands on its other side. Safeguard: every other iteration, bisect unless the
  // bracket has halved since the previous check.
  let fa = sa;
  let fb = sb;
  let kept = 0; // +1: a was kept last time, -1: b was
  let lastWidth = Math.abs(b - a);
  for (let iter = 0; iter < 200 && Math.abs(b - a) > tol; iter++) {
    const check = iter % 2 === 1;
    const bisect = check && Math.abs(b - a) > lastWidth / 2;
    if (check) lastWidth = Math.abs(b - a);
    let c = bisect ? (a + b) / 2 : (a * fb - b * fa) / (fb - fa);
    if (!(Math.min(a, b) < c && c < Math.max(a, b))) c = (a + b) / 2;
    const fc = s(c);
    if (fc === 0) return c;
    if (Math.sign(fc) === Math.sign(fb)) {
      b = c;
      fb = fc;
      sb = fc;
      if (kept === 1) fa /= 2;
      kept = 1;
    } else {
      a = c;
      fa = fc;
      sa = fc;
      if (kept === -1) fb /= 2;
      kept = -1;
    }
  }
  // The secant through the final bracket, with the true values of s.
  return (a * sb - b * sa) / (sb - sa);
}

/** Locates the event inside a step and builds the differentiable event time and state. */
export function locateEvent(
  ev: EventOptions,
  dense: Interpolant,
  gLo: number,
  gHi: number,
): { tStar: number; result: EventResult } {
  const g = ev.fn;
  const { t0, t1 } = dense;
  const tol = ev.tol ?? 1e-12 * Math.max(1, Math.abs(t0), Math.abs(t1));
  const s = (t: number) => noGrad(() => eventValue(g, t, dense.at(t)));
  const tStar = findRoot(s, t0, gLo, t1, gHi, tol);
  const delta = 1e-6 * Math.abs(t1 - t0);
  const pPlus = noGrad(() => dense.at(tStar + delta).value);
  const pMinus = noGrad(() => dense.at(tStar - delta).value);
  const slope = (s(tStar + delta) - s(tStar - delta)) / (2 * delta);
  const yStar = dense.at(tStar);
  const G = toVar(g(tStar, yStar));
  // dt = -(G - value(G)) / s'(t*): zero in value, the implicit-function derivative in gradient.
  const dt = sub(G, constant(G.value)).div(-slope).reshape([]);
  const tEvent = dt.add(tStar);
  const dP = T.div(T.sub(pPlus, pMinus), 2 * delta);
  const y = G.requiresGrad ? linearCombination([yStar, dt.mul(constant(dP))], [1, 1]) : yStar;
  return { tStar, result: { t: tEvent, y } };
}
