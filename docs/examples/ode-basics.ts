/**
 * odeint in five minutes: a batch of damped oscillators solved by dopri5 (adaptive, dense output
 * at any times), by fixed-step rk4, and backwards in time; odeSolve for the cost of a solve
 * (docs/ode.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/ode-basics.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import { odeint, odeSolve } from '@resode/ode';
import * as T from '@resode/tensor';

// x'' + 2 zeta x' + x = 0 as a first-order system in y = [x, v]; each row of y is one oscillator.
const zeta = 0.1;
const oscillator = (_t: number, y: A.Var) => {
  const x = A.slice(y, [null, [0, 1]]);
  const v = A.slice(y, [null, [1, 2]]);
  return A.concat([v, A.sub(A.mul(v, -2 * zeta), x)], 1);
};

/** The exact solution for y0 = [x0, v0] (underdamped: omega = sqrt(1 - zeta^2)). */
function exact(t: number, [x0, v0]: number[]): number[] {
  const w = Math.sqrt(1 - zeta * zeta);
  const c = Math.cos(w * t);
  const s = Math.sin(w * t);
  const e = Math.exp(-zeta * t);
  const x = e * (x0! * c + ((v0! + zeta * x0!) / w) * s);
  const v = e * (v0! * c - ((x0! + zeta * v0!) / w) * s);
  return [x, v];
}

export function main(log: (...args: unknown[]) => void = console.log) {
  const starts = [
    [1, 0],
    [0, 2],
    [-0.5, 0.5],
  ];
  const y0 = T.tensor(starts); // shape [3, 2]: three oscillators
  const ts = Array.from({ length: 21 }, (_, i) => i / 2); // 0, 0.5, ..., 10

  // Adaptive dopri5 (the default), rtol 1e-7 / atol 1e-9 by default.
  const ys = odeint(oscillator, y0, ts);
  log(`odeint: ys has shape [${ys.shape}] (= [ts.length, ...y0.shape]); ys[0] is y0`);
  const errorOf = (sol: A.Var, times: number[]) =>
    Math.max(
      ...times.flatMap((t, i) =>
        starts.flatMap((s, j) => exact(t, s).map((e, k) => Math.abs(sol.value.get(i, j, k) - e))),
      ),
    );
  const dopri5Error = errorOf(ys, ts);
  log(`dopri5, 21 output times on [0, 10]: max error ${dopri5Error.toExponential(2)}`);

  // What did it cost? odeSolve returns the same states with statistics.
  const { stats } = odeSolve(oscillator, y0, ts);
  log(`  ${stats.accepted} steps accepted, ${stats.rejected} rejected, ${stats.nfe} evaluations of f`);
  const { stats: endOnly } = odeSolve(oscillator, y0, [0, 10]);
  log(`  with only ts = [0, 10]: ${endOnly.accepted} steps too: output times never force steps`);

  // Fixed steps: rk4 with steps of at most 0.05 between consecutive output times.
  const rk4 = odeint(oscillator, y0, ts, { method: 'rk4', stepSize: 0.05 });
  const rk4Error = errorOf(rk4, ts);
  log(`rk4, stepSize 0.05: max error ${rk4Error.toExponential(2)}`);

  // Backwards: from y(10) to y(0).
  const y10 = A.index(ys, ts.length - 1);
  const back = odeint(oscillator, y10, [10, 0], { rtol: 1e-10, atol: 1e-12 });
  const backError = T.max(T.abs(T.sub(A.index(back, 1).value, y0))).item();
  log(`backwards from t = 10 to 0: recovers y0 to ${backError.toExponential(2)}`);

  return { shape: ys.shape, dopri5Error, rk4Error, backError, stats, endOnly };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
