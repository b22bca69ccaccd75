/**
 * Butcher tableaux of diagonally implicit Runge-Kutta (DIRK) methods, validated like the explicit
 * ones (tableaux/tableau.ts): row i of `a` now has i + 1 entries, the last being the diagonal a_ii.
 *
 *   z_i = y0 + h sum_{j<i} a_ij k_j + h a_ii f(t0 + c_i h, z_i),    k_i = f(t0 + c_i h, z_i)
 *
 * Each stage is an implicit equation in z_i alone (solved by Newton's method, newton.ts); a_ii = 0
 * makes a stage explicit (ESDIRK methods start with one). A method is stiffly accurate when b is
 * the last row of a: then y1 = z_last, which is what gives L-stable methods their damping of
 * infinitely stiff components (Hairer & Wanner, Solving ODEs II, IV.6).
 */
import { TABLEAU_TOL, TableauError } from '../tableaux/index.js';

export interface DirkTableau {
  readonly name: string;
  readonly order: number;
  readonly errorOrder?: number;
  readonly c: readonly number[];
  /** Lower triangular including the diagonal: a[i] has i + 1 entries. */
  readonly a: readonly (readonly number[])[];
  readonly b: readonly number[];
  /** b - bhat, the weights of the error estimate. */
  readonly bErr?: readonly number[];
  /** Derived: b equals the last row of a, so y1 is the last stage state. */
  readonly stifflyAccurate: boolean;
  readonly source: string;
}

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

export function defineDirkTableau(spec: Omit<DirkTableau, 'stifflyAccurate'>): DirkTableau {
  const fail = (why: string): never => {
    throw new TableauError(`DIRK tableau '${spec.name}': ${why}`);
  };
  const { c, a, b, bErr } = spec;
  const s = c.length;
  if (a.length !== s || b.length !== s) fail(`a has ${a.length} rows, b ${b.length} entries, c ${s}`);
  a.forEach((row, i) => {
    if (row.length !== i + 1) fail(`row ${i} of a has ${row.length} entries, expected ${i + 1}`);
    if (Math.abs(sum(row) - c[i]!) > TABLEAU_TOL)
      fail(`row ${i} of a sums to ${sum(row)}, but c[${i}] = ${c[i]}`);
  });
  if (Math.abs(sum(b) - 1) > TABLEAU_TOL) fail(`sum of b is ${sum(b)}, expected 1`);
  if ((bErr === undefined) !== (spec.errorOrder === undefined)) fail('bErr and errorOrder go together');
  if (bErr !== undefined && Math.abs(sum(bErr)) > TABLEAU_TOL)
    fail(`sum of bErr is ${sum(bErr)}, expected 0`);
  const last = a[s - 1]!;
  const stifflyAccurate = last.every((x, j) => x === b[j]);
  return Object.freeze({ ...spec, stifflyAccurate });
}
