/**
 * Line searches along a descent direction d from x: find a step a > 0 for phi(a) = f(x + a d).
 *
 * Strong Wolfe conditions (Nocedal & Wright, "Numerical Optimization", 2nd ed., eq. 3.7):
 *   phi(a)   <= phi(0) + c1 a phi'(0)        (sufficient decrease, the Armijo condition)
 *   |phi'(a)| <= c2 |phi'(0)|                 (curvature: the slope has flattened)
 * with 0 < c1 < c2 < 1. The curvature condition guarantees y . s > 0 for the new pair, which keeps
 * the BFGS matrix positive definite. Algorithm 3.5 brackets an acceptable step, Algorithm 3.6
 * ("zoom") narrows the bracket by safeguarded cubic interpolation (eq. 3.59).
 *
 * Near a minimiser the decrease c1 a phi'(0) falls below the rounding error of phi itself, and the
 * Armijo test becomes a coin toss. There we use the approximate Wolfe condition of Hager & Zhang
 * (2005, SIAM J. Optim. 16(1), eq. 4.1), which tests slopes instead of values:
 *   phi'(a) <= (2 c1 - 1) phi'(0)   and   phi(a) <= phi(0) + eps |phi(0)|,
 * exact for quadratics (where it is equivalent to Armijo) and accurate to rounding.
 * The same rounding makes "phi(a) > phi(b)" meaningless when the two values differ by less than
 * the error of phi, so the bracketing and zoom compare values with that tolerance and let the
 * slopes decide between equal ones, as Hager & Zhang's interval update does (section 4, U1-U3:
 * a point with phi' < 0 and phi <= phi(0) + eps becomes the new lower end, whatever its value
 * relative to the old one).
 */
import { axpy, dot } from '../flat.js';

/** f and its gradient at a point of R^n. */
export type VectorObjective = (x: Float64Array) => { value: number; grad: Float64Array };

/** One evaluated trial point. */
export type LinePoint = { step: number; x: Float64Array; value: number; grad: Float64Array; slope: number };

export type LineSearchResult =
  | { ok: true; point: LinePoint; evaluations: number }
  | { ok: false; evaluations: number; reason: string };

export type LineSearchOptions = {
  /** Sufficient-decrease constant (default 1e-4). */
  c1?: number;
  /** Curvature constant of the strong Wolfe condition (default 0.9, the usual choice for quasi-Newton). */
  c2?: number;
  /** Evaluations allowed (default 25). */
  maxEvaluations?: number;
  /** Largest step tried (default 1e10). */
  maxStep?: number;
};

/** Relative size of the rounding error tolerated in phi by the approximate Wolfe test. */
const APPROXIMATE_WOLFE_EPS = 1e-10;

/** Armijo, or (near rounding level) Hager & Zhang's approximate form of it. */
function sufficientDecrease(start: LinePoint, p: LinePoint, c1: number): boolean {
  if (!Number.isFinite(p.value)) return false;
  if (p.value <= start.value + c1 * p.step * start.slope) return true;
  return (
    p.value <= start.value + APPROXIMATE_WOLFE_EPS * Math.abs(start.value) &&
    p.slope <= (2 * c1 - 1) * start.slope
  );
}

/** phi(p) > phi(q) by more than the rounding error tolerated in phi (see sufficientDecrease). */
function higher(start: LinePoint, p: LinePoint, q: LinePoint): boolean {
  return p.value > q.value + APPROXIMATE_WOLFE_EPS * Math.abs(start.value);
}

function evaluate(f: VectorObjective, x: Float64Array, d: Float64Array, step: number): LinePoint {
  const xs = axpy(x, step, d);
  const { value, grad } = f(xs);
  return { step, x: xs, value, grad, slope: dot(grad, d) };
}

/**
 * The minimiser of the cubic interpolating phi and phi' at a and b (N&W eq. 3.59), or the midpoint
 * when the cubic has no minimiser or it falls within 10% of either end (the safeguard).
 */
function cubicStep(a: LinePoint, b: LinePoint): number {
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.step - b.step);
  const disc = d1 * d1 - a.slope * b.slope;
  const mid = (a.step + b.step) / 2;
  if (!(disc >= 0)) return mid;
  const d2 = Math.sign(b.step - a.step) * Math.sqrt(disc);
  const t = b.step - (b.step - a.step) * ((b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2));
  const lo = Math.min(a.step, b.step);
  const hi = Math.max(a.step, b.step);
  const margin = 0.1 * (hi - lo);
  return Number.isFinite(t) && t >= lo + margin && t <= hi - margin ? t : mid;
}

/** Strong Wolfe line search (N&W Algorithms 3.5 and 3.6). `start` holds phi(0), phi'(0) < 0. */
export function strongWolfe(
  f: VectorObjective,
  start: LinePoint,
  d: Float64Array,
  firstStep: number,
  opts: LineSearchOptions = {},
): LineSearchResult {
  const c1 = opts.c1 ?? 1e-4;
  const c2 = opts.c2 ?? 0.9;
  const maxEvaluations = opts.maxEvaluations ?? 25;
  const maxStep = opts.maxStep ?? 1e10;
  const x0 = start.x;
  const armijo = (p: LinePoint) => sufficientDecrease(start, p, c1);
  const curvature = (p: LinePoint) => Math.abs(p.slope) <= -c2 * start.slope;
  let evaluations = 0;

  // Algorithm 3.6: lo satisfies sufficient decrease with the lowest value so far, and the bracket
  // [lo, hi] contains steps satisfying the strong Wolfe conditions.
  const zoom = (lo: LinePoint, hi: LinePoint): LineSearchResult => {
    while (evaluations < maxEvaluations) {
      const p = evaluate(f, x0, d, cubicStep(lo, hi));
      evaluations++;
      if (!armijo(p) || higher(start, p, lo)) hi = p;
      else {
        if (curvature(p)) return { ok: true, point: p, evaluations };
        if (p.slope * (hi.step - lo.step) >= 0) hi = lo;
        lo = p;
      }
      if (Math.abs(hi.step - lo.step) <= 1e-16 * Math.max(1, lo.step)) break;
    }
    // The bracket collapsed (rounding) or the budget ran out: lo still decreases f, so take it.
    if (lo.step > 0) return { ok: true, point: lo, evaluations };
    return { ok: false, evaluations, reason: 'zoom found no step with sufficient decrease' };
  };

  let prev = start;
  let step = Math.min(firstStep, maxStep);
  while (evaluations < maxEvaluations) {
    const p = evaluate(f, x0, d, step);
    evaluations++;
    if (!armijo(p) || (prev !== start && higher(start, p, prev))) {
      return zoom(prev, p);
    }
    if (curvature(p)) return { ok: true, point: p, evaluations };
    if (p.slope >= 0) return zoom(p, prev);
    if (step >= maxStep) return { ok: true, point: p, evaluations };
    prev = p;
    step = Math.min(2 * step, maxStep);
  }
  return { ok: false, evaluations, reason: `no acceptable step after ${evaluations} evaluations` };
}

/**
 * Backtracking (N&W Algorithm 3.1): start from `firstStep` and shrink by `shrink` until the Armijo
 * condition holds. Simpler than strong Wolfe, but it does not guarantee y . s > 0 (L-BFGS then
 * skips the update).
 */
export function backtrackingArmijo(
  f: VectorObjective,
  start: LinePoint,
  d: Float64Array,
  firstStep: number,
  opts: LineSearchOptions & { shrink?: number } = {},
): LineSearchResult {
  const c1 = opts.c1 ?? 1e-4;
  const shrink = opts.shrink ?? 0.5;
  const maxEvaluations = opts.maxEvaluations ?? 50;
  let step = firstStep;
  for (let evaluations = 1; evaluations <= maxEvaluations; evaluations++) {
    const p = evaluate(f, start.x, d, step);
    if (sufficientDecrease(start, p, c1)) {
      return { ok: true, point: p, evaluations };
    }
    step *= shrink;
  }
  return { ok: false, evaluations: maxEvaluations, reason: `Armijo condition failed down to step ${step}` };
}
