/**
 * Every op as a function. Primitives go through `apply` (engine.ts) and have a rule in rules.ts;
 * composites (mean, min, softmax, mse, ...) are built from primitives and need no rule.
 */
import * as T from '@resode/tensor';
import { fmtShape, type NestedArray, Tensor } from '@resode/tensor';
import { apply, backwardPass, checkGradientsFinite, tapeBetween } from './engine.js';
import { AutogradError } from './errors.js';
import type { Range } from './rules.js';
import { Var, type VarLike } from './var.js';

export type ReduceOpts = { keepdims?: boolean };
export type SliceRanges = readonly Range[];
type Axes = number | readonly number[] | undefined;

/** A leaf to differentiate with respect to (for `.backward()`), from any tensor-like value. */
export function variable(x: VarLike): Var {
  return new Var(toTensor(x), true);
}

/** A constant: autodiff treats it as fixed. */
export function constant(x: VarLike): Var {
  return new Var(toTensor(x));
}

/** The same value with no tape behind it (gradients stop here). */
export function stopGradient(x: VarLike): Var {
  return constant(x);
}
export const detach = stopGradient;

export function isVar(x: unknown): x is Var {
  return x instanceof Var;
}

function toTensor(x: VarLike): Tensor {
  if (x instanceof Var) return x.value;
  if (x instanceof Tensor) return x;
  if (typeof x === 'number' || Array.isArray(x)) return T.tensor(x as NestedArray);
  const v = x as unknown;
  const what = v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
  throw new AutogradError(`expected a Var, Tensor, number or nested array, got ${what}`);
}

/** Vars pass through; everything else becomes a constant. */
export function toVar(x: VarLike): Var {
  return x instanceof Var ? x : new Var(toTensor(x));
}

// ---- primitives -------------------------------------------------------------------------------

export const add = (x: VarLike, y: VarLike): Var => apply('add', [toVar(x), toVar(y)], undefined);
export const sub = (x: VarLike, y: VarLike): Var => apply('sub', [toVar(x), toVar(y)], undefined);
export const mul = (x: VarLike, y: VarLike): Var => apply('mul', [toVar(x), toVar(y)], undefined);
export const div = (x: VarLike, y: VarLike): Var => apply('div', [toVar(x), toVar(y)], undefined);
export const pow = (x: VarLike, y: VarLike): Var => apply('pow', [toVar(x), toVar(y)], undefined);
export const neg = (x: VarLike): Var => apply('neg', [toVar(x)], undefined);
export const exp = (x: VarLike): Var => apply('exp', [toVar(x)], undefined);
export const log = (x: VarLike): Var => apply('log', [toVar(x)], undefined);
export const sqrt = (x: VarLike): Var => apply('sqrt', [toVar(x)], undefined);
export const abs = (x: VarLike): Var => apply('abs', [toVar(x)], undefined);
export const sin = (x: VarLike): Var => apply('sin', [toVar(x)], undefined);
export const cos = (x: VarLike): Var => apply('cos', [toVar(x)], undefined);
export const tanh = (x: VarLike): Var => apply('tanh', [toVar(x)], undefined);
export const relu = (x: VarLike): Var => apply('relu', [toVar(x)], undefined);
/** g (1 - y^2): the VJP of tanh at output y, as one primitive (differentiable in g and y). */
export const tanhGrad = (g: VarLike, y: VarLike): Var => apply('tanhGrad', [toVar(g), toVar(y)], undefined);
export const sigmoid = (x: VarLike): Var => apply('sigmoid', [toVar(x)], undefined);
export const softplus = (x: VarLike): Var => apply('softplus', [toVar(x)], undefined);

/** Matrix product (NumPy semantics: batched for rank > 2, 1-D operands as row / column vectors). */
export function matmul(x: VarLike, y: VarLike): Var {
  const a = toVar(x);
  const b = toVar(y);
  if (a.rank === 0 || b.rank === 0) {
    throw new T.ShapeError(
      `matmul: operands must have rank >= 1, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  if (a.rank >= 2 && b.rank >= 2) return apply('matmul', [a, b], undefined);
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const out = apply('matmul', [a2, b2], undefined);
  const keep = out.shape.filter(
    (_, i) => !((a.rank === 1 && i === out.rank - 2) || (b.rank === 1 && i === out.rank - 1)),
  );
  return reshape(out, keep);
}

/**
 * x W^T + b, the affine map of a dense layer (PyTorch's `nn.functional.linear`): x [..., in],
 * W [out, in], b [out] (optional), result [..., out]. One primitive with one fused kernel, where
 * `add(matmul(x, transpose(W)), b)` records three ops and allocates two results.
 */
export function linear(x: VarLike, w: VarLike, b?: VarLike): Var {
  const inputs = [toVar(x), toVar(w)];
  if (b !== undefined) inputs.push(toVar(b));
  return apply('linear', inputs, undefined);
}

/** Reorders axes (default: reversed). */
export function permute(x: VarLike, axes?: readonly number[]): Var {
  const v = toVar(x);
  const rank = v.rank;
  const order = (axes ?? Array.from({ length: rank }, (_, i) => rank - 1 - i)).map((a) =>
    T.normalizeAxis(a, rank, 'permute'),
  );
  const inverse = new Array<number>(rank);
  order.forEach((a, i) => {
    inverse[a] = i;
  });
  return apply('permute', [v], { axes: order, inverse });
}

/** The permutation swapping the last two of `rank` axes (its own inverse), shared by every matrix transpose. */
const lastTwoSwapped: { axes: number[]; inverse: number[] }[] = [];

/** Swaps two axes, by default the last two (the matrix transpose). */
export function transpose(x: VarLike, axis1 = -2, axis2 = -1): Var {
  const v = toVar(x);
  const rank = v.rank;
  if (rank < 2) return v;
  if (axis1 === -2 && axis2 === -1) {
    let p = lastTwoSwapped[rank];
    if (p === undefined) {
      const axes = Array.from({ length: rank }, (_, i) => (i < rank - 2 ? i : 2 * rank - 3 - i));
      p = lastTwoSwapped[rank] = { axes, inverse: axes };
    }
    return apply('permute', [v], p);
  }
  const order = Array.from({ length: v.rank }, (_, i) => i);
  const a = T.normalizeAxis(axis1, v.rank, 'transpose');
  const b = T.normalizeAxis(axis2, v.rank, 'transpose');
  [order[a], order[b]] = [b, a];
  return permute(v, order);
}

export function reshape(x: VarLike, shape: readonly number[]): Var {
  const v = toVar(x);
  const value = v.value.reshape(shape); // validates and resolves -1
  return apply('reshape', [v], { shape: value.shape });
}

export function broadcastTo(x: VarLike, shape: readonly number[]): Var {
  const v = toVar(x);
  if (T.sameShape(v.shape, shape)) return v;
  return apply('broadcastTo', [v], { shape: [...shape] });
}

export function sum(x: VarLike, axes?: Axes, opts: ReduceOpts = {}): Var {
  const v = toVar(x);
  return apply('sum', [v], { axes: T.normalizeAxes(axes, v.rank, 'sum'), keepdims: opts.keepdims ?? false });
}

export function max(x: VarLike, axes?: Axes, opts: ReduceOpts = {}): Var {
  const v = toVar(x);
  return apply('max', [v], { axes: T.normalizeAxes(axes, v.rank, 'max'), keepdims: opts.keepdims ?? false });
}

export function concat(xs: readonly VarLike[], axis = 0): Var {
  const vs = xs.map(toVar);
  if (vs.length === 0) throw new T.ShapeError('concat: needs at least one tensor');
  return apply('concat', vs, { axis: T.normalizeAxis(axis, vs[0]!.rank, 'concat') });
}

/** Strided slice: one [start, end?, step?] (or null for all) per leading axis; a view in the forward pass. */
export function slice(x: VarLike, ranges: SliceRanges): Var {
  return apply('slice', [toVar(x)], { ranges: [...ranges] });
}

/** The transpose of slice: x placed at `ranges` inside zeros of `shape`. */
export function padSlice(x: VarLike, ranges: SliceRanges, shape: readonly number[]): Var {
  return apply('padSlice', [toVar(x)], { ranges: [...ranges], shape: [...shape] });
}

export function gather(x: VarLike, indices: readonly number[] | Tensor, axis = 0): Var {
  const v = toVar(x);
  const idx = indices instanceof Tensor ? Array.from(indices.values()) : [...indices];
  return apply('gather', [v], { indices: idx, axis: T.normalizeAxis(axis, v.rank, 'gather') });
}

export function scatterAdd(
  x: VarLike,
  indices: readonly number[],
  axis: number,
  shape: readonly number[],
): Var {
  return apply('scatterAdd', [toVar(x)], { indices: [...indices], axis, shape: [...shape] });
}

/** `cond ? x : y` elementwise; cond is a constant mask (nonzero = true). */
export function where(cond: VarLike, x: VarLike, y: VarLike): Var {
  return apply('where', [constant(cond), toVar(x), toVar(y)], undefined);
}

// ---- composites -------------------------------------------------------------------------------

export const square = (x: VarLike): Var => mul(x, x);

export function mean(x: VarLike, axes?: Axes, opts: ReduceOpts = {}): Var {
  const v = toVar(x);
  const reduced = T.normalizeAxes(axes, v.rank, 'mean');
  const count = reduced.reduce((n, a) => n * v.shape[a]!, 1);
  return div(sum(v, reduced, opts), count);
}

export function min(x: VarLike, axes?: Axes, opts: ReduceOpts = {}): Var {
  return neg(max(neg(x), axes, opts));
}

export function expandDims(x: VarLike, axis: number): Var {
  const v = toVar(x);
  return reshape(v, v.value.expandDims(axis).shape);
}

export function squeeze(x: VarLike, axes?: number | readonly number[]): Var {
  const v = toVar(x);
  return reshape(v, v.value.squeeze(axes).shape);
}

export function stack(xs: readonly VarLike[], axis = 0): Var {
  const vs = xs.map(toVar);
  if (vs.length === 0) throw new T.ShapeError('stack: needs at least one tensor');
  for (const v of vs) {
    if (!T.sameShape(v.shape, vs[0]!.shape)) {
      throw new T.ShapeError(`stack: shapes ${fmtShape(vs[0]!.shape)} and ${fmtShape(v.shape)} differ`);
    }
  }
  const ax = T.normalizeAxis(axis, vs[0]!.rank + 1, 'stack');
  return concat(
    vs.map((v) => expandDims(v, ax)),
    ax,
  );
}

/** x[i] along the first axis, like `ys[i]` in PyTorch. */
export function index(x: VarLike, i: number): Var {
  const v = toVar(x);
  const picked = v.value.index(i); // validates i
  const n = v.shape[0]!;
  const j = i < 0 ? i + n : i;
  return reshape(slice(v, [[j, j + 1]]), picked.shape);
}

/** log(sum(exp(x))) over axes, computed stably by shifting by the (constant) maximum. */
export function logsumexp(x: VarLike, axes?: Axes, opts: ReduceOpts = {}): Var {
  const v = toVar(x);
  const m = T.max(v.value, axes, { keepdims: true });
  const safe = T.where(T.equal(m, m), T.where(T.lessEqual(T.abs(m), Number.MAX_VALUE), m, 0), 0);
  const s = log(sum(exp(sub(v, safe)), axes, { keepdims: true }));
  const out = add(s, safe);
  return opts.keepdims ? out : squeeze(out, T.normalizeAxes(axes, v.rank, 'logsumexp'));
}

export function logSoftmax(x: VarLike, axis = -1): Var {
  return sub(x, logsumexp(x, axis, { keepdims: true }));
}

export function softmax(x: VarLike, axis = -1): Var {
  return exp(logSoftmax(x, axis));
}

/**
 * Mean cross-entropy of logits [N, C] against integer class labels (length N): the negative
 * log-likelihood of log-softmax, as torch.nn.functional.cross_entropy.
 */
export function crossEntropy(logits: VarLike, labels: readonly number[] | Tensor): Var {
  const z = toVar(logits);
  const ys = labels instanceof Tensor ? Array.from(labels.values()) : labels;
  if (z.rank !== 2 || ys.length !== z.shape[0]) {
    throw new T.ShapeError(
      `crossEntropy: logits ${fmtShape(z.shape)} need rank 2 and one label per row (got ${ys.length})`,
    );
  }
  const [n, c] = z.shape as [number, number];
  const oneHot = new Float64Array(n * c);
  ys.forEach((y, i) => {
    if (!Number.isInteger(y) || y < 0 || y >= c) {
      throw new T.IndexError(`crossEntropy: label ${y} at row ${i} is not a class index in [0, ${c})`);
    }
    oneHot[i * c + y] = 1;
  });
  return neg(div(sum(mul(logSoftmax(z, 1), Tensor.view(oneHot, [n, c]))), n));
}

/** Mean squared error. */
export function mse(pred: VarLike, target: VarLike): Var {
  return mean(square(sub(pred, target)));
}

/** Sum of x * y over all elements (the Frobenius inner product). */
export function dot(x: VarLike, y: VarLike): Var {
  return sum(mul(x, y));
}

// ---- engine helpers ---------------------------------------------------------------------------

/**
 * Undoes broadcasting: sums `g` over the dims that broadcasting added or stretched so that it has
 * `shape`. Applied by the engine to every cotangent a VJP returns.
 */
export function sumToShape(g: Var, shape: readonly number[], op: string): Var {
  if (T.sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const bad = () =>
    new AutogradError(
      `VJP of '${op}' returned a cotangent of shape ${fmtShape(g.shape)} for an input of shape ${fmtShape(shape)}`,
    );
  if (lead < 0) throw bad();
  const axes: number[] = [];
  for (let i = 0; i < lead; i++) axes.push(i);
  shape.forEach((d, i) => {
    const gd = g.shape[lead + i]!;
    if (d === 1 && gd !== 1) axes.push(lead + i);
    else if (d !== gd) throw bad();
  });
  return reshape(axes.length > 0 ? sum(g, axes) : g, shape);
}

/** `out.backward()`: fills `.grad` of every leaf variable that out depends on, adding to what is there. */
export function backwardInto(out: Var): void {
  if (out.size !== 1) {
    throw new AutogradError(`backward: needs a scalar output, got shape ${fmtShape(out.shape)}`);
  }
  if (!out.requiresGrad) throw new AutogradError('backward: the output does not depend on any variable');
  const isLeaf = (v: Var) => v.node === undefined && v.requiresGrad;
  const ct = constant(T.ones(out.shape));
  const grads = backwardPass(tapeBetween(out, isLeaf), out, ct, isLeaf, false);
  const leaves = [...grads.keys()];
  checkGradientsFinite(
    'backward',
    leaves.map((leaf) => grads.get(leaf)),
    [out, ...leaves],
  );
  for (const [leaf, g] of grads)
    leaf.grad = leaf.grad === undefined ? g : constant(T.add(leaf.grad.value, g.value));
}
