// Test problems with known solutions, shared by the ODE tests.
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

export type Problem = {
  name: string;
  f: (t: number, y: A.Var) => A.Var;
  y0: T.Tensor;
  /** The exact solution at t, row-major like y0. */
  exact: (t: number) => number[];
};

/**
 * y' = y M^T for two initial vectors (rows of y, a batched state [2, 3]); M is a damped rotation
 * plus a decay, so y(t) = y0 expm(M t)^T with the closed form below.
 */
const M = T.tensor([
  [-0.1, 2, 0],
  [-2, -0.1, 0],
  [0, 0, -0.5],
]);
const linearY0 = [
  [1, 0, 1],
  [0.3, -0.7, 2],
];
export const linear: Problem = {
  name: 'linear system (matrix exponential)',
  f: (_t, y) => A.matmul(y, A.transpose(A.constant(M))),
  y0: T.tensor(linearY0),
  exact: (t) => {
    const e = Math.exp(-0.1 * t);
    const c = Math.cos(2 * t);
    const s = Math.sin(2 * t);
    return linearY0.flatMap(([a, b, d]) => [
      e * (c * a! + s * b!),
      e * (-s * a! + c * b!),
      Math.exp(-0.5 * t) * d!,
    ]);
  },
};

/** y' = -2 t y^2 (nonlinear, non-autonomous): y(t) = 1 / (t^2 + 1/y0). */
const riccatiY0 = [1, 0.5, 2];
export const riccati: Problem = {
  name: "y' = -2 t y^2",
  f: (t, y) => A.mul(A.square(y), -2 * t),
  y0: T.tensor(riccatiY0),
  exact: (t) => riccatiY0.map((v) => 1 / (t * t + 1 / v)),
};

/**
 * The Kepler problem q'' = -q / |q|^3 in the state [q1, q2, p1, p2], for a circular orbit and one
 * of eccentricity 0.3 (rows of a [2, 4] state). Exact solution through Kepler's equation
 * E - e sin E = t, solved by Newton's method.
 */
function keplerOrbit(e: number, t: number): number[] {
  let E = t;
  for (let i = 0; i < 50; i++) E -= (E - e * Math.sin(E) - t) / (1 - e * Math.cos(E));
  const dE = 1 / (1 - e * Math.cos(E));
  const w = Math.sqrt(1 - e * e);
  return [Math.cos(E) - e, w * Math.sin(E), -Math.sin(E) * dE, w * Math.cos(E) * dE];
}
const eccentricities = [0, 0.3];
export const kepler: Problem = {
  name: 'Kepler problem',
  f: (_t, y) => {
    const q = A.slice(y, [null, [0, 2]]);
    const p = A.slice(y, [null, [2, 4]]);
    const r3 = A.pow(A.sum(A.square(q), 1, { keepdims: true }), 1.5);
    return A.concat([p, A.neg(A.div(q, r3))], 1);
  },
  y0: T.tensor(eccentricities.map((e) => keplerOrbit(e, 0))),
  exact: (t) => eccentricities.flatMap((e) => keplerOrbit(e, t)),
};

/** Max-norm distance between a Var/Tensor's values and a plain array. */
export function maxError(y: A.Var | T.Tensor, exact: readonly number[]): number {
  const v = (y instanceof T.Tensor ? y : y.value).values();
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]! - exact[i]!));
  return m;
}

/** Least-squares slope of log(ys) against log(xs). */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b) / lx.length;
  const my = ly.reduce((a, b) => a + b) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => {
    num += (x - mx) * (ly[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}
