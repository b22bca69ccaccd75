/**
 * Limited-memory BFGS (Nocedal & Wright, "Numerical Optimization", 2nd ed., Algorithm 7.5, with the
 * two-loop recursion of Algorithm 7.4). BFGS keeps an approximation H_k of the inverse Hessian
 * and steps along -H_k g_k; L-BFGS never forms H_k: it keeps the last m pairs
 *   s_i = x_{i+1} - x_i,   y_i = g_{i+1} - g_i
 * and applies H_k to a vector in O(m n) by two loops over them, starting from the scaled identity
 * H_k^0 = gamma_k I, gamma_k = s_{k-1} . y_{k-1} / y_{k-1} . y_{k-1}  (eq. 7.20).
 */

import { OptimizeError } from '../errors.js';
import { allFinite, dot, norm2, normInf } from '../flat.js';
import {
  backtrackingArmijo,
  type LinePoint,
  type LineSearchOptions,
  strongWolfe,
  type VectorObjective,
} from './line-search.js';

export type MinimizeOptions = {
  /** Iterations (line searches) allowed (default 100). */
  maxIterations?: number;
  /** Stop when max |g_i| <= gradTol (default 1e-10). */
  gradTol?: number;
  /** Stop when |f_{k+1} - f_k| <= valueTol * max(1, |f_k|) (default 0: off). */
  valueTol?: number;
  lineSearch?: 'strong-wolfe' | 'armijo';
  lineSearchOptions?: LineSearchOptions;
  /** Called after every iteration with its number, value and gradient norm (infinity norm). */
  onIteration?: (info: { iteration: number; value: number; gradNorm: number }) => void;
};

export type LbfgsOptions = MinimizeOptions & {
  /** Number of (s, y) pairs kept (default 10). */
  memory?: number;
};

export type VectorMinimizeResult = {
  x: Float64Array;
  value: number;
  grad: Float64Array;
  /** max |g_i| at x. */
  gradNorm: number;
  iterations: number;
  /** Evaluations of f and its gradient. */
  evaluations: number;
  converged: boolean;
  /** Why the iteration stopped. */
  message: string;
  /** f after each iteration, starting with f(x0). */
  values: number[];
};

/** r = H g by the two-loop recursion (N&W Algorithm 7.4); pairs are oldest first. */
export function twoLoop(g: Float64Array, s: Float64Array[], y: Float64Array[]): Float64Array {
  const m = s.length;
  const q = Float64Array.from(g);
  const alpha = new Array<number>(m);
  const rho = s.map((si, i) => 1 / dot(y[i]!, si));
  for (let i = m - 1; i >= 0; i--) {
    alpha[i] = rho[i]! * dot(s[i]!, q);
    const yi = y[i]!;
    for (let j = 0; j < q.length; j++) q[j]! -= alpha[i]! * yi[j]!;
  }
  const gamma = m > 0 ? dot(s[m - 1]!, y[m - 1]!) / dot(y[m - 1]!, y[m - 1]!) : 1;
  for (let j = 0; j < q.length; j++) q[j]! *= gamma;
  for (let i = 0; i < m; i++) {
    const beta = rho[i]! * dot(y[i]!, q);
    const si = s[i]!;
    for (let j = 0; j < q.length; j++) q[j]! += si[j]! * (alpha[i]! - beta);
  }
  return q;
}

/** Direction rule of a line-search method: given the gradient, return a descent direction. */
type Direction = {
  direction(g: Float64Array): Float64Array;
  /** Called with the accepted step's pair (s, y). */
  update(s: Float64Array, y: Float64Array): void;
  reset(): void;
  /** The first trial step of the line search at iteration k. */
  firstStep(k: number, g: Float64Array): number;
};

/** The loop shared by L-BFGS and gradient descent: direction, line search, stopping tests. */
export function lineSearchMinimize(
  f: VectorObjective,
  x0: Float64Array,
  rule: Direction,
  opts: MinimizeOptions,
): VectorMinimizeResult {
  const maxIterations = opts.maxIterations ?? 100;
  const gradTol = opts.gradTol ?? 1e-10;
  const valueTol = opts.valueTol ?? 0;
  const search = opts.lineSearch === 'armijo' ? backtrackingArmijo : strongWolfe;
  const first = f(x0);
  if (!Number.isFinite(first.value) || !allFinite(first.grad)) {
    throw new OptimizeError(`the objective is not finite at the starting point (value ${first.value})`);
  }
  let here: LinePoint = { step: 0, x: Float64Array.from(x0), value: first.value, grad: first.grad, slope: 0 };
  let evaluations = 1;
  const values = [here.value];
  const finish = (iterations: number, converged: boolean, message: string): VectorMinimizeResult => ({
    x: here.x,
    value: here.value,
    grad: here.grad,
    gradNorm: normInf(here.grad),
    iterations,
    evaluations,
    converged,
    message,
    values,
  });
  for (let k = 0; k < maxIterations; k++) {
    if (normInf(here.grad) <= gradTol) return finish(k, true, `gradient norm <= ${gradTol}`);
    let d = rule.direction(here.grad);
    let slope = dot(d, here.grad);
    if (!(slope < 0)) {
      // Not a descent direction (rounding in a badly conditioned memory): restart from -g.
      rule.reset();
      d = rule.direction(here.grad);
      slope = dot(d, here.grad);
    }
    const result = search(
      f,
      { ...here, step: 0, slope },
      d,
      rule.firstStep(k, here.grad),
      opts.lineSearchOptions,
    );
    evaluations += result.evaluations;
    if (!result.ok) return finish(k, false, `line search failed: ${result.reason}`);
    const next = result.point;
    const s = new Float64Array(d.length);
    const y = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) {
      s[i] = next.x[i]! - here.x[i]!;
      y[i] = next.grad[i]! - here.grad[i]!;
    }
    rule.update(s, y);
    const change = Math.abs(next.value - here.value);
    const scale = Math.max(1, Math.abs(here.value));
    here = next;
    values.push(here.value);
    opts.onIteration?.({ iteration: k + 1, value: here.value, gradNorm: normInf(here.grad) });
    if (valueTol > 0 && change <= valueTol * scale) return finish(k + 1, true, `value change <= ${valueTol}`);
  }
  const ok = normInf(here.grad) <= gradTol;
  return finish(
    maxIterations,
    ok,
    ok ? `gradient norm <= ${gradTol}` : `reached ${maxIterations} iterations`,
  );
}

/** L-BFGS on a function of one flat vector. */
export function minimizeLbfgs(
  f: VectorObjective,
  x0: Float64Array,
  opts: LbfgsOptions = {},
): VectorMinimizeResult {
  const memory = opts.memory ?? 10;
  if (!Number.isInteger(memory) || memory < 1) {
    throw new OptimizeError(`lbfgs: memory must be a positive integer, got ${memory}`);
  }
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  return lineSearchMinimize(
    f,
    x0,
    {
      direction: (g) => twoLoop(g, s, y).map((v) => -v),
      update(si, yi) {
        // Keep the pair only if the curvature y . s is safely positive (always true after a
        // strong Wolfe step; backtracking may violate it): H stays positive definite.
        if (dot(si, yi) <= 1e-10 * norm2(si) * norm2(yi)) return;
        s.push(si);
        y.push(yi);
        if (s.length > memory) {
          s.shift();
          y.shift();
        }
      },
      reset() {
        s.length = 0;
        y.length = 0;
      },
      // With no curvature pairs yet, -g has no natural length: try a step of length 1 (N&W 7.2 uses
      // the same unit step once gamma scaling is available).
      firstStep: (_k, g) => (s.length === 0 ? Math.min(1, 1 / norm2(g)) : 1),
    },
    opts,
  );
}

export type GradientDescentOptions = MinimizeOptions & {
  /** A fixed step: x <- x - stepSize g, no line search. Without it, a line search picks the step. */
  stepSize?: number;
};

/** Plain gradient descent (steepest descent), as a baseline for L-BFGS. */
export function minimizeGradientDescent(
  f: VectorObjective,
  x0: Float64Array,
  opts: GradientDescentOptions = {},
): VectorMinimizeResult {
  if (opts.stepSize !== undefined) return fixedStepDescent(f, x0, opts.stepSize, opts);
  let lastStep = 1;
  return lineSearchMinimize(
    f,
    x0,
    {
      direction: (g) => g.map((v) => -v),
      update(s, _y) {
        lastStep = norm2(s);
      },
      reset() {},
      // Start each search from the length of the last accepted step (N&W section 3.5).
      firstStep: (k, g) => (k === 0 ? Math.min(1, 1 / norm2(g)) : (2 * lastStep) / norm2(g)),
    },
    { lineSearch: 'armijo', ...opts },
  );
}

function fixedStepDescent(
  f: VectorObjective,
  x0: Float64Array,
  stepSize: number,
  opts: MinimizeOptions,
): VectorMinimizeResult {
  if (!(stepSize > 0)) throw new OptimizeError(`gradientDescent: stepSize must be > 0, got ${stepSize}`);
  const maxIterations = opts.maxIterations ?? 100;
  const gradTol = opts.gradTol ?? 1e-10;
  let x = Float64Array.from(x0);
  let { value, grad } = f(x);
  const values = [value];
  let k = 0;
  for (; k < maxIterations && normInf(grad) > gradTol; k++) {
    x = x.map((v, i) => v - stepSize * grad[i]!);
    ({ value, grad } = f(x));
    if (!Number.isFinite(value)) {
      throw new OptimizeError(
        `gradientDescent: the value became ${value} at iteration ${k + 1} (step ${stepSize})`,
      );
    }
    values.push(value);
    opts.onIteration?.({ iteration: k + 1, value, gradNorm: normInf(grad) });
  }
  const converged = normInf(grad) <= gradTol;
  return {
    x,
    value,
    grad,
    gradNorm: normInf(grad),
    iterations: k,
    evaluations: k + 1,
    converged,
    message: converged ? `gradient norm <= ${gradTol}` : `reached ${maxIterations} iterations`,
    values,
  };
}
