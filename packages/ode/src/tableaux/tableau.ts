/**
 * Butcher tableaux of explicit Runge-Kutta methods, as validated plain data.
 *
 * An s-stage explicit Runge-Kutta method advances y' = f(t, y) by one step of size h:
 *
 *   k_i = f(t0 + c_i h, y0 + h * sum_{j<i} a_ij k_j)     i = 0 .. s-1   (the stages)
 *   y1  = y0 + h * sum_i b_i k_i                                          (the solution)
 *   err =      h * sum_i bErr_i k_i                                       (the error estimate)
 *
 * Butcher (1964) wrote the numbers in a table,
 *
 *   c | a
 *   --+--
 *     | b
 *
 * and the whole method is that table: one generic stepper runs every method (DESIGN.md, habit 7).
 * "Explicit" means a is strictly lower triangular: stage i only needs stages 0 .. i-1, so here
 * row i of `a` simply has i entries (row 0 is empty). An embedded pair carries a second weight
 * vector bhat of lower order; the difference y1 - yhat1 = h * sum (b - bhat)_i k_i estimates the
 * local error for step-size control, so we store bErr = b - bhat directly (as diffrax does).
 *
 * Consistency conditions checked by `defineTableau`:
 *   - sum_j a_ij = c_i   (each stage is evaluated at the time its state approximates)
 *   - sum_i b_i = 1      (order 1: y1 - y0 = h f for constant f)
 *   - sum_i bErr_i = 0   (b and bhat both have order >= 1)
 *   - c_0 = 0            (the first stage is f(t0, y0))
 * The conditions for higher order are `orderConditionsResidual`.
 */

/**
 * b_i(theta) = sum_k coefficients[i][k] * theta^k for stage i (ascending powers, from theta^0);
 * `order` is the order of the continuous extension (checked by the order conditions in the tests).
 */
export type PolynomialDense = { kind: 'polynomial'; order: number; coefficients: number[][] };

/**
 * How a method interpolates inside a step (dense output, used for output times).
 * 'polynomial': the method's own continuous extension y(t0 + theta h) = y0 + h sum_i b_i(theta) k_i.
 * 'hermite': no interpolant of its own; the cubic Hermite one through y0, y1, f(y0), f(y1).
 */
export type DenseOutput = { kind: 'hermite' } | PolynomialDense;

export interface ButcherTableau {
  readonly name: string;
  /** Order of the solution y1 (global error O(h^order)). */
  readonly order: number;
  /** Order of the embedded solution yhat1 = y0 + h sum (b - bErr)_i k_i, if the method has one. */
  readonly errorOrder?: number;
  readonly c: readonly number[];
  /** Strictly lower-triangular: a[i] has i entries. */
  readonly a: readonly (readonly number[])[];
  readonly b: readonly number[];
  /** b - bhat: weights of the local error estimate (sums to 0). */
  readonly bErr?: readonly number[];
  /**
   * First Same As Last: the last stage is f(t0 + h, y1), so it is the next step's first stage
   * (derived: last row of a equals b, b_last = 0, c_last = 1).
   */
  readonly fsal: boolean;
  readonly dense?: DenseOutput;
  /** The citation. */
  readonly source: string;
}

/** What a method file writes: everything but the derived `fsal`. */
export type TableauSpec = Omit<ButcherTableau, 'fsal'>;

export class TableauError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableauError';
  }
}

/** Tolerance of the consistency checks (row sums, sum b, sum bErr, interpolant at theta = 1). */
export const TABLEAU_TOL = 1e-14;

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

/** Validates a tableau, derives `fsal`, and returns it frozen; throws TableauError on any failure. */
export function defineTableau(spec: TableauSpec): ButcherTableau {
  const fail = (condition: string): never => {
    throw new TableauError(`tableau '${spec.name}': ${condition}`);
  };
  const { c, a, b, bErr, dense } = spec;
  const s = c.length;
  if (s < 1) fail('needs at least one stage (c is empty)');
  if (!Number.isInteger(spec.order) || spec.order < 1)
    fail(`order must be a positive integer, got ${spec.order}`);
  if (a.length !== s) fail(`a has ${a.length} rows but c has ${s} stages`);
  if (b.length !== s) fail(`b has ${b.length} entries but c has ${s} stages`);
  a.forEach((row, i) => {
    if (row.length !== i) fail(`not explicit: row ${i} of a has ${row.length} entries, expected ${i}`);
  });
  const all = [
    ...c,
    ...a.flat(),
    ...b,
    ...(bErr ?? []),
    ...(dense?.kind === 'polynomial' ? dense.coefficients.flat() : []),
  ];
  if (!all.every(Number.isFinite)) fail('a coefficient is not a finite number');
  if (c[0] !== 0) fail(`c[0] must be 0, got ${c[0]}`);
  a.forEach((row, i) => {
    const r = sum(row);
    if (Math.abs(r - c[i]!) > TABLEAU_TOL) fail(`row ${i} of a sums to ${r}, but c[${i}] = ${c[i]}`);
  });
  if (Math.abs(sum(b) - 1) > TABLEAU_TOL) fail(`sum of b is ${sum(b)}, expected 1`);
  if ((bErr === undefined) !== (spec.errorOrder === undefined)) fail('bErr and errorOrder go together');
  if (bErr !== undefined) {
    if (bErr.length !== s) fail(`bErr has ${bErr.length} entries but c has ${s} stages`);
    if (Math.abs(sum(bErr)) > TABLEAU_TOL) fail(`sum of bErr is ${sum(bErr)}, expected 0`);
    const eo = spec.errorOrder!;
    if (!Number.isInteger(eo) || eo < 1 || eo === spec.order) {
      fail(`errorOrder must be a positive integer other than order ${spec.order}, got ${eo}`);
    }
  }
  if (dense?.kind === 'polynomial') {
    if (!Number.isInteger(dense.order) || dense.order < 1 || dense.order > spec.order) {
      fail(`dense order must be an integer in [1, ${spec.order}], got ${dense.order}`);
    }
    if (dense.coefficients.length !== s)
      fail(`dense has ${dense.coefficients.length} polynomials, expected ${s}`);
    dense.coefficients.forEach((p, i) => {
      const at0 = p[0] ?? 0;
      const at1 = sum(p);
      // b_i(1) is a sum of terms as large as ~90 (tsit5): compare to rounding relative to their size.
      const tol = TABLEAU_TOL * Math.max(1, sum(p.map(Math.abs)));
      if (Math.abs(at0) > TABLEAU_TOL) fail(`dense b_${i}(0) = ${at0}, expected 0`);
      if (Math.abs(at1 - b[i]!) > tol) fail(`dense b_${i}(1) = ${at1}, but b[${i}] = ${b[i]}`);
    });
  }
  // Exact equality: the last stage's state must be y1 itself for f(t1, y1) to be reused.
  const last = a[s - 1]!;
  const fsal = s > 1 && c[s - 1] === 1 && b[s - 1] === 0 && last.every((x, j) => x === b[j]);
  return deepFreeze({ ...spec, fsal });
}

/** Tableaux are shared module-level data: freeze the arrays too, not just the object. */
function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

/** The embedded method's weights bhat = b - bErr. */
export function embeddedWeights(t: ButcherTableau): number[] {
  if (t.bErr === undefined) throw new TableauError(`tableau '${t.name}': has no embedded method`);
  return t.b.map((bi, i) => bi - t.bErr![i]!);
}

/** The interpolation weights b_i(theta), theta in [0, 1], of a method with a polynomial interpolant. */
export function denseWeights(t: ButcherTableau, theta: number): number[] {
  if (t.dense?.kind !== 'polynomial')
    throw new TableauError(`tableau '${t.name}': has no polynomial interpolant`);
  // Horner's rule, highest power first.
  return t.dense.coefficients.map((p) => p.reduceRight((acc, coef) => acc * theta + coef, 0));
}

/**
 * The classical order conditions (Butcher 1963; Hairer, Norsett, Wanner, "Solving ODEs I", II.2).
 *
 * A method has order p iff, for every rooted tree t with at most p nodes, its elementary weight
 * Phi(t) equals 1 / gamma(t). For a tree whose root has subtrees t_1 .. t_m:
 *
 *   u(t)_i   = prod_k (A u(t_k))_i      (u(single node) = all ones; so A u(node) = c)
 *   Phi(t)   = sum_i b_i u(t)_i
 *   gamma(t) = |t| * prod_k gamma(t_k)  (|t| = number of nodes)
 *
 * Through order 4 these are the 8 familiar conditions
 *   sum b = 1;  sum b c = 1/2;  sum b c^2 = 1/3, sum b A c = 1/6;
 *   sum b c^3 = 1/4, sum b c A c = 1/8, sum b A c^2 = 1/12, sum b A A c = 1/24,
 * and there are 17 trees of order 5, 115 of order 8 (200 conditions in all for order 8).
 *
 * Returns max over all trees with at most `order` nodes of |Phi(t) - 1/gamma(t)|, for the
 * weights `weights` (default: the tableau's b; pass `embeddedWeights(t)` for the embedded method).
 * With `theta`, it checks a continuous extension instead: weights = b_i(theta) must give
 * Phi(t) = theta^|t| / gamma(t) (the Taylor coefficients of y(t0 + theta h)).
 */
export function orderConditionsResidual(
  t: Pick<ButcherTableau, 'a' | 'b'>,
  order: number,
  weights: readonly number[] = t.b,
  theta = 1,
): number {
  const s = t.a.length;
  const times = (v: readonly number[]): number[] =>
    t.a.map((row) => row.reduce((acc, aij, j) => acc + aij * v[j]!, 0));
  const memo = new Map<string, { u: number[]; gamma: number; size: number }>();
  const weigh = (tree: Tree): { u: number[]; gamma: number; size: number } => {
    const key = treeKey(tree);
    let r = memo.get(key);
    if (r === undefined) {
      r = { u: new Array<number>(s).fill(1), gamma: 1, size: 1 };
      for (const child of tree) {
        const w = weigh(child);
        const Au = times(w.u);
        r.u = r.u.map((x, i) => x * Au[i]!);
        r.gamma *= w.gamma;
        r.size += w.size;
      }
      r.gamma *= r.size;
      memo.set(key, r);
    }
    return r;
  };
  let worst = 0;
  for (const tree of rootedTrees(order)) {
    const { u, gamma, size } = weigh(tree);
    const phi = u.reduce((acc, ui, i) => acc + weights[i]! * ui, 0);
    worst = Math.max(worst, Math.abs(phi - theta ** size / gamma));
  }
  return worst;
}

/** A rooted tree, given as the list of the subtrees hanging from its root: [] is a single node. */
export type Tree = readonly Tree[];

const treeKey = (t: Tree): string => `(${t.map(treeKey).sort().join('')})`;

/** All rooted trees with 1 .. maxOrder nodes (1, 1, 2, 4, 9, 20, 48, 115, 286 of each order). */
export function rootedTrees(maxOrder: number): Tree[] {
  // Every tree of order n + 1 is a tree of order n with one leaf grafted onto one of its nodes.
  const graft = (t: Tree): Tree[] => [
    [...t, []],
    ...t.flatMap((child, k) => graft(child).map((g) => t.map((x, j) => (j === k ? g : x)))),
  ];
  const all: Tree[] = [];
  let level: Tree[] = maxOrder >= 1 ? [[]] : [];
  for (let n = 1; n <= maxOrder; n++) {
    all.push(...level);
    const next = new Map<string, Tree>();
    for (const t of level) for (const g of graft(t)) next.set(treeKey(g), g);
    level = [...next.values()];
  }
  return all;
}
