/**
 * C = A B for row-major contiguous A (m x k) and B (k x n), written into C (m x n).
 * The i-k-j loop order streams rows of B and C, so the inner loop is a contiguous axpy
 * (c_i += a_ik * b_k) that V8 compiles to tight scalar code.
 */
export function matmulKernel(
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  c: Float64Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * n;
    for (let j = 0; j < n; j++) c[ci + j] = 0;
    for (let p = 0; p < k; p++) {
      const aip = a[aOff + i * k + p]!;
      if (aip === 0) continue;
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j]!;
    }
  }
}
