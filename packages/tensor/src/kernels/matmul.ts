/**
 * C = A B in float64, the one hot loop of the whole framework.
 *
 * A plain i-k-j loop runs at about 1 GFLOP/s in V8: every multiply-add loads a[i,p], b[p,j] and
 * c[i,j] and stores c[i,j], and each typed-array access costs a bounds check and index arithmetic.
 * Three classic ideas (Goto and van de Geijn 2008, "Anatomy of high-performance matrix
 * multiplication"; the BLIS micro-kernel) and one V8-specific one bring it past 5 GFLOP/s:
 *
 * 1. Register blocking. The micro-kernel computes an MR x NR = 4 x 4 tile of C in 16 local
 *    variables. Per step p of the inner dimension it loads 4 values of A and 4 of B and does 16
 *    multiply-adds: 0.5 loads per multiply-add instead of 3 loads and a store, and C is written
 *    once per tile. x64 has 16 xmm registers (V8 keeps one as scratch), so V8 spills a few
 *    accumulators; tiles from 2 x 4 to 8 x 8 were measured (micro-kernel alone, k = 256, data in
 *    L1): 4 x 4, 4 x 3, 3 x 4 and 6 x 4 all at 4.5-4.9 GFLOP/s, 2 x 4 at 4.3, 4 x 8 and 8 x 8 at
 *    3-3.5 (too many spills). 4 x 4 divides the ResNet width 16.
 *
 * 2. Packing. Before the micro-kernels run, a KC x NC block of B is copied into `packedB` as
 *    column panels of NR columns (row p of a panel = NR consecutive numbers), and an MC x KC block
 *    of A into `packedA` as row panels of MR rows (column p of a panel = MR consecutive numbers),
 *    zero-padded at the edges. The micro-kernel then reads both operands with unit stride from
 *    two small buffers, a panel stays in L1 (4 x 256 doubles = 8 KB) and a block in L2, and the
 *    edge tiles run the same 4 x 4 code (on zero padding) as the inner ones, but for one case:
 *
 *    a remainder of exactly 2 rows or columns is common enough to get its own tiles. Such a panel
 *    is packed 2 wide and run by a 4 x 2, 2 x 4 or 2 x 2 micro-kernel instead of a 4 x 4 one on
 *    zero padding. Measured (same process, alternating, best of 41), when products with 2 columns
 *    or rows still took this path: 256 x 64 x 2 from 1.3 to 2.4 GFLOP/s, 64 x 256 x 2 and
 *    2 x 256 x 64 from 1.2 to 1.8-2.2. (Such products now take the narrow kernel below, twice as
 *    fast again; the 2-wide tiles serve edges such as the last 2 of 66 columns.)
 *
 * 3. Strided packing. Packing reads its source through a (row stride, column stride) pair, so a
 *    transposed, sliced or broadcast view of A or B is packed straight from its own layout and
 *    `matmulStrided` never copies an operand first. Measured (best of runs, same process) A^T B
 *    with A^T read in place against copied to a contiguous array first: 256^3 3.9 against 3.7
 *    GFLOP/s (the copy is O(n^2) beside O(n^3)), 128 x 16 x 16 3.9 against 2.6, 16 x 128 x 16
 *    4.2 against 3.0; A B^T likewise (3.9 against 2.9 at 128 x 16 x 16).
 *
 * 4. Constant scratch buffers. `packedA` and `packedB` are module-level constants of fixed size,
 *    reused by every call. That is not only to avoid allocation: V8 (TurboFan) folds a constant
 *    typed array's data pointer and length into the machine code, so each load in the
 *    micro-kernel is a compare with an immediate and a load from an absolute address, instead
 *    of reloading the array's base and external pointers per access. Micro-kernel alone: 4.5
 *    GFLOP/s with the panels passed as arguments, 5.3 as constants. Index sums are written
 *    `(x + 1) | 0` so that V8 emits a plain 32-bit add without an overflow check (about +10%).
 *
 * Block sizes: KC = 256 (an A panel and a B panel, 8 KB each, sit in the 32 KB L1 together),
 * MC = 64 (A block 128 KB), NC = 256 (B block 512 KB, within the 1-2 MB L2 of current x86 cores).
 * KC = 128, MC = 32 or 128 and NC = 128 were each slower at 256^3 (noisy, but never better).
 * Measured on an AMD EPYC (Zen 4, 2.6 GHz, Node 20), float64, medians on a quiet machine:
 * 256^3 at 5.5 GFLOP/s (i-k-j loop 1.0, unpacked 4 x 4 block 2.7-4), 64^3 at 5.2, the ResNet
 * shape 128 x 16 times 16 x 16 at 4.2 (unpacked 4 x 4: 3.4). See `bench/matmul.ts`.
 *
 * Idea 4 holds only while V8's "ArrayBuffer detaching" protector is intact: once any ArrayBuffer
 * in the process has been detached (transferred), V8 can no longer assume a constant typed
 * array's length and storage never change, and reloads them. Node's module-loader hooks (which
 * tsx uses to run TypeScript) detach one at startup (`node --trace-protector-invalidation` shows
 * it), so under tsx this kernel runs about a third slower: 256^3 at 5.1-5.2 GFLOP/s compiled under
 * plain Node against 2.7-3.6 under tsx, three alternating runs of `bench/matmul.ts` each
 * (2026-11-22; the plain i-k-j loop: 1.06-1.10 against 0.69-0.77). `pnpm bench` runs compiled
 * JavaScript under plain Node for that reason, as a user's program importing the built package does.
 * (Some tsx processes still ran at the full speed, so the protector is not the only factor; it is
 * the one a user controls.)
 *
 * The first block of the inner dimension stores its tiles into C and later blocks add to them, so
 * the packed path never zero-fills C first, and never reads it when k <= KC (the plain loop for
 * tiny products below still starts from zeros).
 *
 * Tiny products (fewer than SMALL multiply-adds, or a single row of A) take a plain loop instead.
 *
 * Products of depth 1 or 2 (an outer product, or a layer whose input is 2-D: the first layer and
 * the backward pass of the last one in W2's neural ODE, 256 x 2 times 2 x 64) take `thinKernel`:
 * each c_ij = a_i0 b_0j + a_i1 b_1j is computed and stored once, four rows at a time, with B
 * copied row by row into the constant `packedB`. The 4 x 4 tiles would spend as much time loading
 * and storing their 16 accumulators as multiplying over a depth of 2. Measured on 256 x 2 times
 * 2 x 64, each in its own process (alternating processes, three medians each): 21-32 µs against
 * 46-55 on the tiles, one row at a time; four rows at a time then took it from 16 to 9 µs.
 *
 * Products with at most 2 columns (or 2 rows) and a longer depth (the other three products of a
 * layer of width 2: 256 x 64 times 64 x 2, its gradients 2 x 256 times 256 x 64 and 64 x 256
 * times 256 x 2) take `narrowKernel`: packing copies every number of the large operand once for
 * only 2 multiply-adds each, so that operand is read in place through its strides, four rows at
 * a time against the 2 columns of the small one (copied into `packedB`). A product with 2 rows
 * is the transposed problem, C^T = B^T A^T, run through the same kernel with the strides swapped.
 * Measured in one process, alternating with the packed tiles, on those four W2 shapes: 16 µs
 * against 31-33 at best, 27-32 against 53-64 as medians. The depth is summed in one pass, in the
 * order of the packed path, so results are bit-identical for k <= KC.
 */

/** Rows of the register tile. */
const MR = 4;
/** Columns of the register tile. */
const NR = 4;
/** Depth of a packed block (the inner dimension is cut into pieces of at most KC). */
const KC = 256;
/** Rows of A packed at a time. A multiple of MR. */
const MC = 64;
/** Columns of B packed at a time. A multiple of NR. */
const NC = 256;

/**
 * Below this many multiply-adds (or for a single row) the plain loop wins: packing and 4 x 4 tiles
 * that are mostly padding cost more than they save (measured: 2 x 2 x 2 at 0.46 GFLOP/s plain
 * against 0.13 packed, 1 x 16 x 16 at 0.69 against 0.37, 8 x 8 x 8 at 0.96 against 2.6).
 */
const SMALL = 512;

const packedA = new Float64Array(MC * KC);
const packedB = new Float64Array(KC * NC);
/** Where the micro-kernel writes a tile that sticks out of C, before its valid part is copied (or added) into C. */
const edgeTile = new Float64Array(MR * NR);

/**
 * C = A B for row-major contiguous A (m x k) and B (k x n), written into C (m x n) from `cOff`.
 * C is overwritten (any previous content is ignored) and must not overlap A or B, which are only read.
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
  matmulStrided(a, aOff, k, 1, b, bOff, n, 1, c, cOff, m, k, n);
}

/**
 * C = A B where A(i, p) = a[aOff + i * aRow + p * aCol] and B(p, j) = b[bOff + p * bRow + j * bCol]
 * (any strides: a transposed view has aRow = 1; a broadcast one a zero stride). C is row-major
 * contiguous m x n from `cOff`, and overwritten; it must not overlap A or B. With `bias` (n
 * numbers), C = A B + 1 bias^T: bias[j] is added to every entry of column j after its sum (a
 * dense layer's x W^T + b), in the thin and narrow kernels as each entry is stored, elsewhere
 * in a pass after the product; the results are the same either way.
 */
export function matmulStrided(
  a: Float64Array,
  aOff: number,
  aRow: number,
  aCol: number,
  b: Float64Array,
  bOff: number,
  bRow: number,
  bCol: number,
  c: Float64Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
  bias?: Float64Array,
): void {
  if (m === 0 || n === 0) return;
  const tiny = k === 0 || m * k * n < SMALL || m === 1;
  // The thin kernel and the narrow one with n <= 2 add the bias as they store C.
  if (!tiny && k <= 2 && 3 * n <= packedB.length) {
    thinKernel(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, m, k, n, bias);
    return;
  }
  if (!tiny && n <= 2 && 2 * k <= packedB.length) {
    narrowKernel(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, n, 1, m, k, n, bias);
    return;
  }
  if (tiny) {
    c.fill(0, cOff, cOff + m * n);
    simpleKernel(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, m, k, n);
  } else if (m <= 2 && 2 * k <= packedB.length) {
    // C^T = B^T A^T: B^T(j, p) = B(p, j), A^T(p, i) = A(i, p), and C^T(j, i) = c[cOff + i n + j].
    narrowKernel(b, bOff, bCol, bRow, a, aOff, aCol, aRow, c, cOff, 1, n, n, k, m);
  } else {
    // Packed blocks and register tiles (the header's ideas 1-4).
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        pack(packedB, b, bOff + pc * bRow + jc * bCol, bCol, bRow, nc, kc);
        for (let ic = 0; ic < m; ic += MC) {
          const mc = Math.min(MC, m - ic);
          pack(packedA, a, aOff + ic * aRow + pc * aCol, aRow, aCol, mc, kc);
          // The first block of the inner dimension stores its tiles; later ones add to them.
          macroKernel(c, cOff + ic * n + jc, n, mc, nc, kc, pc > 0);
        }
      }
    }
  }
  if (bias !== undefined) addBias(c, cOff, m, n, bias);
}

/** C[i, j] += bias[j] for the m rows of C (row length n) from `cOff`. */
function addBias(c: Float64Array, cOff: number, m: number, n: number, bias: Float64Array): void {
  for (let i = 0, r = cOff; i < m; i++, r += n) {
    for (let j = 0; j < n; j++) c[r + j]! += bias[j]!;
  }
}

/** C += A B by the i-p-j loop (contiguous in C; strided reads of A and B). */
function simpleKernel(
  a: Float64Array,
  aOff: number,
  aRow: number,
  aCol: number,
  b: Float64Array,
  bOff: number,
  bRow: number,
  bCol: number,
  c: Float64Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
) {
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[aOff + i * aRow + p * aCol]!;
      const bp = bOff + p * bRow;
      for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j * bCol]!;
    }
  }
}

/**
 * C = A B (+ 1 bias^T) for a depth k of 1 or 2. B's rows go into `packedB` (row p at p * n; a
 * zero row 1 when k = 1) and the bias after them (at 2n), then C is written four rows at a time:
 * each pair b_0j, b_1j loaded once serves four entries, c_ij = (a_i0 b_0j + a_i1 b_1j) + bias_j.
 * Measured on 256 x 2 x 64 in one process against one row at a time: 9.2 against 16.3 µs.
 */
// biome-ignore format: the rows of the 4-row block read best laid out as a grid
function thinKernel(a: Float64Array, aOff: number, aRow: number, aCol: number, b: Float64Array, bOff: number, bRow: number, bCol: number, c: Float64Array, cOff: number, m: number, k: number, n: number, bias: Float64Array | undefined) {
  const n2 = 2 * n;
  for (let j = 0, s = bOff; j < n; j++, s += bCol) {
    packedB[j] = b[s]!;
    packedB[n + j] = k === 2 ? b[s + bRow]! : 0;
    packedB[n2 + j] = bias === undefined ? 0 : bias[j]!;
  }
  const at = (i: number, p: number) => (p < k ? a[aOff + i * aRow + p * aCol]! : 0); // A(i, p), 0 past k
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const x00 = at(i, 0), x01 = at(i, 1), x10 = at(i + 1, 0), x11 = at(i + 1, 1);
    const x20 = at(i + 2, 0), x21 = at(i + 2, 1), x30 = at(i + 3, 0), x31 = at(i + 3, 1);
    const c0 = cOff + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    if (bias === undefined) {
      for (let j = 0; j < n; j++) {
        const p0 = packedB[j]!, p1 = packedB[n + j]!;
        c[c0 + j] = x00 * p0 + x01 * p1;
        c[c1 + j] = x10 * p0 + x11 * p1;
        c[c2 + j] = x20 * p0 + x21 * p1;
        c[c3 + j] = x30 * p0 + x31 * p1;
      }
    } else {
      for (let j = 0; j < n; j++) {
        const p0 = packedB[j]!, p1 = packedB[n + j]!, pb = packedB[n2 + j]!;
        c[c0 + j] = x00 * p0 + x01 * p1 + pb;
        c[c1 + j] = x10 * p0 + x11 * p1 + pb;
        c[c2 + j] = x20 * p0 + x21 * p1 + pb;
        c[c3 + j] = x30 * p0 + x31 * p1 + pb;
      }
    }
  }
  for (; i < m; i++) {
    const x0 = at(i, 0), x1 = at(i, 1), ci = cOff + i * n;
    for (let j = 0; j < n; j++) c[ci + j] = x0 * packedB[j]! + x1 * packedB[n + j]! + packedB[n2 + j]!;
  }
}

/**
 * C = A B for n <= 2 columns, where C(i, j) = c[cOff + i * cRow + j * cCol] (so that the caller
 * can pass a transposed problem): B's k x n numbers are copied into `packedB` as pairs (a single
 * column is paired with zeros, whose products are never stored), and A is read in place, four
 * rows at a time (see the header).
 */
// biome-ignore format: the 4 x 2 tile reads best laid out as a grid
function narrowKernel(a: Float64Array, aOff: number, aRow: number, aCol: number, b: Float64Array, bOff: number, bRow: number, bCol: number, c: Float64Array, cOff: number, cRow: number, cCol: number, m: number, k: number, n: number, bias?: Float64Array) {
  // The bias of the (at most 2) columns, added to each sum as it is stored.
  const bias0 = bias === undefined ? 0 : bias[0]!;
  const bias1 = bias === undefined || n < 2 ? 0 : bias[1]!;
  for (let p = 0, s = bOff; p < k; p++, s += bRow) {
    packedB[2 * p] = b[s]!;
    packedB[2 * p + 1] = n === 2 ? b[s + bCol]! : 0;
  }
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
    const r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow;
    for (let p = 0, q = 0, s = aOff + i * aRow; p < k; p++, q += 2, s += aCol) {
      const b0 = packedB[q]!, b1 = packedB[q + 1]!;
      const x0 = a[s]!, x1 = a[s + r1]!, x2 = a[s + r2]!, x3 = a[s + r3]!;
      c00 += x0 * b0; c01 += x0 * b1; c10 += x1 * b0; c11 += x1 * b1;
      c20 += x2 * b0; c21 += x2 * b1; c30 += x3 * b0; c31 += x3 * b1;
    }
    const o = cOff + i * cRow;
    // (+ 0 without a bias leaves the sums unchanged: they start from +0, so none is -0.)
    c[o] = c00 + bias0; c[o + cRow] = c10 + bias0; c[o + 2 * cRow] = c20 + bias0; c[o + 3 * cRow] = c30 + bias0;
    if (n === 2) {
      c[o + cCol] = c01 + bias1; c[o + cRow + cCol] = c11 + bias1;
      c[o + 2 * cRow + cCol] = c21 + bias1; c[o + 3 * cRow + cCol] = c31 + bias1;
    }
  }
  for (; i < m; i++) {
    let c0 = 0, c1 = 0;
    for (let p = 0, q = 0, s = aOff + i * aRow; p < k; p++, q += 2, s += aCol) {
      const x = a[s]!;
      c0 += x * packedB[q]!; c1 += x * packedB[q + 1]!;
    }
    c[cOff + i * cRow] = c0 + bias0;
    if (n === 2) c[cOff + i * cRow + cCol] = c1 + bias1;
  }
}

/**
 * The packed size of a panel that holds `count` (at most 4) rows of A or columns of B: exactly 2
 * stay 2 (they get their own micro-kernels); 1 or 3 are zero-padded to 4 (MR = NR = 4).
 */
function panelSize(count: number): number {
  return count === 2 ? 2 : MR;
}

/**
 * Copies `lines` lines of `kc` numbers from `src` into `dest` as panels of MR (= NR) lines, each
 * panel stored step by step (step p of a panel = its lines' p-th numbers, consecutive), zero-padded
 * or 2 wide at the edge (see panelSize). Line t, step p is src[off + t * lineStride + p * stepStride].
 * The mc x kc block of A goes in as rows (line = row of A, step = column); the kc x nc block of B
 * as columns (line = column of B, step = row): the two packings are one copy with the strides
 * swapped.
 */
function pack(
  dest: Float64Array,
  src: Float64Array,
  off: number,
  lineStride: number,
  stepStride: number,
  lines: number,
  kc: number,
) {
  let q = 0;
  for (let t0 = 0; t0 < lines; t0 += MR) {
    const count = Math.min(MR, lines - t0);
    const l0 = off + t0 * lineStride;
    const l1 = l0 + lineStride;
    if (count === MR) {
      const l2 = l1 + lineStride;
      const l3 = l2 + lineStride;
      for (let p = 0, s = 0; p < kc; p++, s += stepStride, q += MR) {
        dest[q] = src[l0 + s]!;
        dest[q + 1] = src[l1 + s]!;
        dest[q + 2] = src[l2 + s]!;
        dest[q + 3] = src[l3 + s]!;
      }
    } else if (count === 2) {
      for (let p = 0, s = 0; p < kc; p++, s += stepStride, q += 2) {
        dest[q] = src[l0 + s]!;
        dest[q + 1] = src[l1 + s]!;
      }
    } else {
      for (let p = 0; p < kc; p++, q += MR) {
        for (let t = 0; t < MR; t++) {
          dest[q + t] = t < count ? src[l0 + t * lineStride + p * stepStride]! : 0;
        }
      }
    }
  }
}

/**
 * C[0:mc, 0:nc] = (or += when `add`) packedA packedB, tile by tile; C at `cOff` with row length
 * `ldc`. Each tile goes to the micro-kernel of its panels' sizes (4 x 4, 4 x 2, 2 x 4 or 2 x 2);
 * a tile padded with zeros (1 or 3 rows or columns) is computed into `edgeTile` and its valid part
 * copied out.
 */
function macroKernel(
  c: Float64Array,
  cOff: number,
  ldc: number,
  mc: number,
  nc: number,
  kc: number,
  add: boolean,
) {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = Math.min(NR, nc - j0);
    const width = panelSize(cols);
    const bo = j0 * kc;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const rows = Math.min(MR, mc - i0);
      const height = panelSize(rows);
      const ao = i0 * kc;
      const co = cOff + i0 * ldc + j0;
      const unpadded = rows === height && cols === width;
      if (unpadded) {
        tile(height, width, ao, bo, kc, c, co, ldc, add);
      } else {
        tile(height, width, ao, bo, kc, edgeTile, 0, NR, false);
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            const v = edgeTile[i * NR + j]!;
            c[co + i * ldc + j] = add ? c[co + i * ldc + j]! + v : v;
          }
        }
      }
    }
  }
}

/** Runs the height x width micro-kernel. */
function tile(
  height: number,
  width: number,
  ao: number,
  bo: number,
  kc: number,
  c: Float64Array,
  co: number,
  ldc: number,
  add: boolean,
) {
  if (height === MR) {
    if (width === NR) microKernel4x4(ao, bo, kc, c, co, ldc, add);
    else microKernel4x2(ao, bo, kc, c, co, ldc, add);
  } else if (width === NR) microKernel2x4(ao, bo, kc, c, co, ldc, add);
  else microKernel2x2(ao, bo, kc, c, co, ldc, add);
}

/**
 * The 4 x 4 register tile: C[co.., 4 x 4 with row length ldc] = (or += when `add`) (A panel at ao)
 * (B panel at bo) over kc steps. Everything inside the loop is a local variable or a load from a
 * packed buffer.
 */
// biome-ignore format: the 4 x 4 tile reads best laid out as a grid, one row of C per line
function microKernel4x4(ao: number, bo: number, kc: number, c: Float64Array, co: number, ldc: number, add: boolean) {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = packedB[bo]!;
    const b1 = packedB[(bo + 1) | 0]!;
    const b2 = packedB[(bo + 2) | 0]!;
    const b3 = packedB[(bo + 3) | 0]!;
    let x = packedA[ao]!;
    c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
    x = packedA[(ao + 1) | 0]!;
    c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
    x = packedA[(ao + 2) | 0]!;
    c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
    x = packedA[(ao + 3) | 0]!;
    c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
    ao = (ao + 4) | 0;
    bo = (bo + 4) | 0;
  }
  const c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  if (add) {
    c00 += c[co]!; c01 += c[co + 1]!; c02 += c[co + 2]!; c03 += c[co + 3]!;
    c10 += c[c1]!; c11 += c[c1 + 1]!; c12 += c[c1 + 2]!; c13 += c[c1 + 3]!;
    c20 += c[c2]!; c21 += c[c2 + 1]!; c22 += c[c2 + 2]!; c23 += c[c2 + 3]!;
    c30 += c[c3]!; c31 += c[c3 + 1]!; c32 += c[c3 + 2]!; c33 += c[c3 + 3]!;
  }
  c[co] = c00; c[co + 1] = c01; c[co + 2] = c02; c[co + 3] = c03;
  c[c1] = c10; c[c1 + 1] = c11; c[c1 + 2] = c12; c[c1 + 3] = c13;
  c[c2] = c20; c[c2 + 1] = c21; c[c2 + 2] = c22; c[c2 + 3] = c23;
  c[c3] = c30; c[c3 + 1] = c31; c[c3 + 2] = c32; c[c3 + 3] = c33;
}

/** The 4 x 2 tile (B panel 2 wide: a product with 2 columns, such as a layer of width 2). */
// biome-ignore format: laid out as a grid
function microKernel4x2(ao: number, bo: number, kc: number, c: Float64Array, co: number, ldc: number, add: boolean) {
  let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = packedB[bo]!;
    const b1 = packedB[(bo + 1) | 0]!;
    let x = packedA[ao]!;
    c00 += x * b0; c01 += x * b1;
    x = packedA[(ao + 1) | 0]!;
    c10 += x * b0; c11 += x * b1;
    x = packedA[(ao + 2) | 0]!;
    c20 += x * b0; c21 += x * b1;
    x = packedA[(ao + 3) | 0]!;
    c30 += x * b0; c31 += x * b1;
    ao = (ao + 4) | 0;
    bo = (bo + 2) | 0;
  }
  const c1 = co + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  if (add) {
    c00 += c[co]!; c01 += c[co + 1]!; c10 += c[c1]!; c11 += c[c1 + 1]!;
    c20 += c[c2]!; c21 += c[c2 + 1]!; c30 += c[c3]!; c31 += c[c3 + 1]!;
  }
  c[co] = c00; c[co + 1] = c01; c[c1] = c10; c[c1 + 1] = c11;
  c[c2] = c20; c[c2 + 1] = c21; c[c3] = c30; c[c3 + 1] = c31;
}

/** The 2 x 4 tile (A panel 2 high: a product with 2 rows). */
// biome-ignore format: laid out as a grid
function microKernel2x4(ao: number, bo: number, kc: number, c: Float64Array, co: number, ldc: number, add: boolean) {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = packedB[bo]!;
    const b1 = packedB[(bo + 1) | 0]!;
    const b2 = packedB[(bo + 2) | 0]!;
    const b3 = packedB[(bo + 3) | 0]!;
    let x = packedA[ao]!;
    c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
    x = packedA[(ao + 1) | 0]!;
    c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
    ao = (ao + 2) | 0;
    bo = (bo + 4) | 0;
  }
  const c1 = co + ldc;
  if (add) {
    c00 += c[co]!; c01 += c[co + 1]!; c02 += c[co + 2]!; c03 += c[co + 3]!;
    c10 += c[c1]!; c11 += c[c1 + 1]!; c12 += c[c1 + 2]!; c13 += c[c1 + 3]!;
  }
  c[co] = c00; c[co + 1] = c01; c[co + 2] = c02; c[co + 3] = c03;
  c[c1] = c10; c[c1 + 1] = c11; c[c1 + 2] = c12; c[c1 + 3] = c13;
}

/** The 2 x 2 tile (the corner where a 2-row and a 2-column panel meet). */
// biome-ignore format: laid out as a grid
function microKernel2x2(ao: number, bo: number, kc: number, c: Float64Array, co: number, ldc: number, add: boolean) {
  let c00 = 0, c01 = 0, c10 = 0, c11 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = packedB[bo]!;
    const b1 = packedB[(bo + 1) | 0]!;
    const x0 = packedA[ao]!;
    const x1 = packedA[(ao + 1) | 0]!;
    c00 += x0 * b0; c01 += x0 * b1; c10 += x1 * b0; c11 += x1 * b1;
    ao = (ao + 2) | 0;
    bo = (bo + 2) | 0;
  }
  const c1 = co + ldc;
  if (add) {
    c00 += c[co]!; c01 += c[co + 1]!; c10 += c[c1]!; c11 += c[c1 + 1]!;
  }
  c[co] = c00; c[co + 1] = c01; c[c1] = c10; c[c1 + 1] = c11;
}
