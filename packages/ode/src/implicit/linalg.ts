/**
 * Dense LU factorisation with partial pivoting (Golub & Van Loan, Matrix Computations, alg. 3.4.1)
 * for the Newton matrices I - h gamma J of the implicit methods. Row-major n x n Float64Arrays.
 */

export type LU = { n: number; lu: Float64Array; pivots: Int32Array; singular: boolean };

/** PA = LU, L unit lower triangular, stored together in `lu`. */
export function luFactor(matrix: Float64Array, n: number): LU {
  const lu = Float64Array.from(matrix);
  const pivots = new Int32Array(n);
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]!) > Math.abs(lu[p * n + k]!)) p = i;
    pivots[k] = p;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const tmp = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = tmp;
      }
    }
    const pivot = lu[k * n + k]!;
    if (pivot === 0 || !Number.isFinite(pivot)) {
      singular = true;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const m = (lu[i * n + k]! /= pivot);
      if (m !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j]! -= m * lu[k * n + j]!;
    }
  }
  return { n, lu, pivots, singular };
}

/** Solves A x = rhs for the factorised A; returns x (a new array). */
export function luSolve({ n, lu, pivots }: LU, rhs: Float64Array): Float64Array {
  const x = Float64Array.from(rhs);
  for (let k = 0; k < n; k++) {
    const p = pivots[k]!;
    if (p !== k) {
      const tmp = x[k]!;
      x[k] = x[p]!;
      x[p] = tmp;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= lu[i * n + j]! * x[j]!;
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * x[j]!;
    x[i] = s / lu[i * n + i]!;
  }
  return x;
}

/** A^{-1} as a row-major array, column by column. */
export function luInverse(f: LU): Float64Array {
  const { n } = f;
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = luSolve(f, e);
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i]!;
  }
  return inv;
}
