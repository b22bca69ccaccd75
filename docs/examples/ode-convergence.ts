/**
 * The convergence table of docs/ode.md, measured: for every method, the slope of log(global
 * error) against log(h) with fixed steps on a linear system (exact solution by the matrix
 * exponential) and on a nonlinear problem with a known solution; then, for the adaptive methods,
 * error and cost against the tolerance on the Kepler problem.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/ode-convergence.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import { isAdaptive, METHODS, type MethodName, odeint, odeSolve, TABLEAUX } from '@resode/ode';
import * as T from '@resode/tensor';

export type Problem = {
  name: string;
  f: (t: number, y: A.Var) => A.Var;
  y0: T.Tensor;
  T: number;
  exact: (t: number) => number[];
};

// y' = y M^T, M a damped rotation plus a decay: y(t) = y0 expm(M t)^T in closed form.
const M = T.tensor([
  [-0.1, 2, 0],
  [-2, -0.1, 0],
  [0, 0, -0.5],
]);
export const linear: Problem = {
  name: 'linear 3x3',
  f: (_t, y) => A.matmul(y, A.transpose(A.constant(M))),
  y0: T.tensor([[1, 0, 1]]),
  T: 2,
  exact: (t) => [
    Math.exp(-0.1 * t) * Math.cos(2 * t),
    -Math.exp(-0.1 * t) * Math.sin(2 * t),
    Math.exp(-0.5 * t),
  ],
};
// y' = -2 t y^2: y = 1 / (t^2 + 1 / y0).
const riccati: Problem = {
  name: "y' = -2ty^2",
  f: (t, y) => A.mul(A.square(y), -2 * t),
  y0: T.tensor([1, 0.5, 2]),
  T: 2,
  exact: (t) => [1, 0.5, 2].map((v) => 1 / (t * t + 1 / v)),
};
// Kepler: q'' = -q / |q|^3, orbit of eccentricity 0.3; exact through Kepler's equation.
const e = 0.3;
function orbit(t: number): number[] {
  let E = t;
  for (let i = 0; i < 50; i++) E -= (E - e * Math.sin(E) - t) / (1 - e * Math.cos(E));
  const d = 1 / (1 - e * Math.cos(E));
  const w = Math.sqrt(1 - e * e);
  return [Math.cos(E) - e, w * Math.sin(E), -Math.sin(E) * d, w * Math.cos(E) * d];
}
const kepler: Problem = {
  name: 'Kepler',
  f: (_t, y) => {
    const q = A.slice(y, [[0, 2]]);
    const r3 = A.pow(A.sum(A.square(q)), 1.5);
    return A.concat([A.slice(y, [[2, 4]]), A.neg(A.div(q, r3))]);
  },
  y0: T.tensor(orbit(0)),
  T: 4,
  exact: orbit,
};

/** Where each method's error is past its pre-asymptotic range and above rounding (as in the tests). */
export const STEPS: Record<MethodName, { linear: number; nonlinear: [Problem, number] }> = {
  euler: { linear: 32, nonlinear: [riccati, 16] },
  midpoint: { linear: 32, nonlinear: [riccati, 32] },
  heun: { linear: 32, nonlinear: [riccati, 32] },
  ralston: { linear: 32, nonlinear: [riccati, 32] },
  'heun-euler': { linear: 32, nonlinear: [riccati, 32] },
  rk4: { linear: 16, nonlinear: [riccati, 16] },
  bosh3: { linear: 16, nonlinear: [riccati, 16] },
  dopri5: { linear: 8, nonlinear: [kepler, 32] },
  tsit5: { linear: 32, nonlinear: [kepler, 32] },
  // On linear problems dopri8's h^8 coefficient is tiny: it shows order 9 until rounding.
  dopri8: { linear: 2, nonlinear: [kepler, 4] },
  'implicit-euler': { linear: 64, nonlinear: [riccati, 16] },
  kvaerno3: { linear: 8, nonlinear: [kepler, 16] },
};

export function globalError(method: MethodName, p: Problem, steps: number): number {
  const y = A.index(odeint(p.f, p.y0, [0, p.T], { method, stepSize: p.T / steps }), 1).value.values();
  const ex = p.exact(p.T);
  return Math.max(...Array.from(y, (v, i) => Math.abs(v - ex[i]!)));
}

/** Least-squares slope of log(error) against log(h) over N, 2N, 4N, 8N steps. */
function order(method: MethodName, p: Problem, N: number): { slope: number; smallest: number } {
  const Ns = [N, 2 * N, 4 * N, 8 * N];
  const xs = Ns.map((n) => Math.log(p.T / n));
  const errors = Ns.map((n) => globalError(method, p, n));
  const ys = errors.map(Math.log);
  const mx = xs.reduce((a, b) => a + b) / 4;
  const my = ys.reduce((a, b) => a + b) / 4;
  const slope =
    xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return { slope, smallest: errors[3]! };
}

export type ConvergenceRow = {
  method: MethodName;
  order: number;
  linear: number;
  nonlinear: number;
  problem: string;
};

export function main(log: (...args: unknown[]) => void = console.log) {
  const rows: ConvergenceRow[] = [];
  log(
    '| method | stages | order | measured, linear 3x3 | measured, nonlinear | nonlinear problem | adaptive |',
  );
  log('|---|---|---|---|---|---|---|');
  for (const method of Object.keys(STEPS) as MethodName[]) {
    const stepper = METHODS[method];
    const { linear: nl, nonlinear } = STEPS[method];
    const lin = order(method, linear, nl);
    const non = order(method, nonlinear[0], nonlinear[1]);
    const stages =
      method in TABLEAUX ? TABLEAUX[method as keyof typeof TABLEAUX].c.length : method === 'kvaerno3' ? 4 : 1;
    rows.push({
      method,
      order: stepper.order,
      linear: lin.slope,
      nonlinear: non.slope,
      problem: nonlinear[0].name,
    });
    log(
      `| ${method} | ${stages} | ${stepper.order} | ${lin.slope.toFixed(2)} | ${non.slope.toFixed(2)} | ${nonlinear[0].name} | ${isAdaptive(stepper) ? `yes (${stepper.errorOrder})` : 'no'} |`,
    );
  }

  log('');
  log(
    'Adaptive methods on the Kepler problem over [0, 4] (atol = rtol): max error at 7 output times, and cost',
  );
  log('');
  log('| method | rtol | error | error / rtol | steps | f evaluations |');
  log('|---|---|---|---|---|---|');
  const ts = [0, 0.5, 1.2, 2, 2.7, 3.3, 4];
  const work: { method: MethodName; rtol: number; error: number; nfe: number }[] = [];
  for (const method of ['heun-euler', 'bosh3', 'dopri5', 'tsit5', 'dopri8', 'kvaerno3'] as MethodName[]) {
    for (const rtol of method === 'heun-euler' ? [1e-4, 1e-6] : [1e-4, 1e-7, 1e-10]) {
      if (method === 'kvaerno3' && rtol < 1e-7) continue;
      const sol = odeSolve(kepler.f, kepler.y0, ts, { method, rtol, atol: rtol });
      const error = Math.max(
        ...ts.flatMap((t, i) => kepler.exact(t).map((x, j) => Math.abs(sol.ys.value.get(i, j) - x))),
      );
      work.push({ method, rtol, error, nfe: sol.stats.nfe });
      log(
        `| ${method} | ${rtol.toExponential(0)} | ${error.toExponential(2)} | ${(error / rtol).toFixed(1)} | ${sol.stats.accepted} | ${sol.stats.nfe} |`,
      );
    }
  }
  return { rows, work };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
