/**
 * Function transforms: grad, valueAndGrad, vjp, jvp, hvp, jacobian. Each runs `f` on fresh
 * "target" Vars (one per argument), so that nested transforms never confuse their variables:
 * the inner backward pass stops at its own targets, and records its ops (for the outer one) only
 * when something outside could differentiate them.
 */
import * as T from '@resode/tensor';
import { fmtShape } from '@resode/tensor';
import { apply, backwardPass, checkGradientsFinite, type Tape, tapeBetween } from './engine.js';
import { AutogradError } from './errors.js';
import { mode, withRecording } from './mode.js';
import { constant, dot, reshape, stack, toVar } from './ops.js';
import { recycleIntermediates } from './recycling.js';
import { Var, type VarLike } from './var.js';

/** A differentiable function of Vars. */
export type Fn = (...xs: Var[]) => Var;

/** Fresh targets: a Var already on a tape is linked to it through `identity`, so outer transforms see through. */
function targetsFor(xs: readonly VarLike[]): Var[] {
  return xs.map((x) => {
    const v = toVar(x);
    return v.requiresGrad
      ? withRecording(true, () => apply('identity', [v], undefined))
      : new Var(v.value, true);
  });
}

function trace(f: Fn, xs: readonly VarLike[]): { args: Var[]; out: Var } {
  const args = targetsFor(xs);
  mode.depth++;
  try {
    const out = withRecording(true, () => f(...args));
    if (!(out instanceof Var)) throw new AutogradError(`the function must return a Var, got ${typeof out}`);
    return { args, out };
  } finally {
    mode.depth--;
  }
}

type Pullback = (ct: VarLike) => { grads: Var[]; recorded: boolean; tape: Tape };

/** The tape from the targets `args` to `out`, walked once on first use. */
type TapeOf = {
  isTarget: (v: Var) => boolean;
  tape: () => Tape;
  /**
   * Something outside could still differentiate through this tape: an enclosing transform,
   * targets linked to an outer tape, or another variable that `out` depends on.
   */
  outerRecords: () => boolean;
};

function tapeOf(args: Var[], out: Var): TapeOf {
  const targets = new Set(args);
  const isTarget = (v: Var) => targets.has(v);
  let walked: Tape | undefined;
  const tape = () => (walked ??= tapeBetween(out, isTarget));
  const outerRecords = () =>
    mode.recording && (mode.depth > 0 || args.some((a) => a.node !== undefined) || tape().reachesOtherLeaves);
  return { isTarget, tape, outerRecords };
}

/**
 * The pullback of `out` with respect to the targets `args`: a backward pass per cotangent over
 * the tape. The pass is recorded (for higher derivatives) when something outside could
 * differentiate its result: what `outerRecords` names, or a cotangent on a tape.
 */
function pullbackOf(args: Var[], out: Var, t: TapeOf = tapeOf(args, out)): Pullback {
  return (ctIn) => {
    const ct = toVar(ctIn);
    const tape = t.tape();
    const recorded = t.outerRecords() || (mode.recording && ct.requiresGrad);
    const cts = backwardPass(tape, out, ct, t.isTarget, recorded);
    const grads = args.map((a) => cts.get(a) ?? constant(T.zeros(a.shape)));
    checkGradientsFinite('grad', grads, [out, ct, ...args]);
    return { grads, recorded, tape };
  };
}

export type PullbackOptions = {
  /**
   * This is the last use of the tape: after the backward pass, give the storage of its
   * intermediate values to the current `StoragePool` (`withStoragePool` of @resode/tensor) and
   * dispose them, as `valueAndGrad`'s `reuseStorage` does, for a caller that evaluates VJPs in a
   * loop (the continuous adjoint: one per evaluation of its backward field). `out` and the
   * arguments are kept; a later call of the pullback throws. Ignored when the pass is recorded.
   */
  release?: boolean;
};

/**
 * Reverse mode: `out = f(...xs)` and a pullback mapping a cotangent of out to one cotangent per
 * argument (J^T ct). Arguments f does not depend on get zeros.
 */
export function vjp(
  f: Fn,
  ...xs: VarLike[]
): { out: Var; pullback: (ct: VarLike, options?: PullbackOptions) => Var[]; release: () => void } {
  const { args, out } = trace(f, xs);
  const t = tapeOf(args, out);
  const pullback = pullbackOf(args, out, t);
  let released = false;
  const assertNotReleased = () => {
    if (released) throw new AutogradError('pullback: its tape was released (release: true, or release())');
  };
  return {
    out,
    pullback: (ct, options) => {
      assertNotReleased();
      const { grads, recorded, tape } = pullback(ct);
      if (options?.release === true && !recorded) {
        recycleIntermediates(tape, out, args);
        released = true;
      }
      return grads;
    },
    /**
     * Hands the tape's intermediate storage to the current pool without a backward pass, for a
     * value that was traced only so that its intermediates are known (the continuous adjoint's
     * forward solve); `out` and the arguments are kept. Nothing is released when an enclosing
     * transform records this tape.
     */
    release: () => {
      assertNotReleased();
      if (t.outerRecords()) return;
      recycleIntermediates(t.tape(), out, args);
      released = true;
    },
  };
}

export type GradOptions = {
  /**
   * Reuse the storage of each call's intermediate values in the next call, as JAX's buffer
   * donation or PyTorch's caching allocator do: after the backward pass, the arrays of the tape's
   * intermediate values (every Var that f made on the way from its arguments to its result) go
   * into a pool that this gradient function keeps, and the next call's ops take their storage
   * from there instead of allocating. A promise from the caller: f keeps no reference to its
   * intermediate Vars once it returns (they are disposed: an op on one, or reading its `value`,
   * throws). The arguments, the returned value and gradients, constants and anything f did
   * not compute on the tape are never reused. Ignored when the call is itself differentiated
   * (inside another transform, or with arguments on an outer tape). Default false.
   */
  reuseStorage?: boolean;
};

/** The value of a scalar function and its gradient with respect to every argument. */
export function valueAndGrad(
  f: Fn,
  options: GradOptions = {},
): (...xs: VarLike[]) => { value: Var; grads: Var[] } {
  const pool = options.reuseStorage === true ? new T.StoragePool() : undefined;
  const call = (xs: VarLike[]) => {
    const { args, out } = trace(f, xs);
    if (out.size !== 1) {
      throw new AutogradError(
        `grad: f must return a scalar (size 1), got shape ${fmtShape(out.shape)}; use vjp for other outputs`,
      );
    }
    const { grads, recorded, tape } = pullbackOf(args, out)(T.ones(out.shape));
    if (pool !== undefined && !recorded) recycleIntermediates(tape, out, args);
    // When nothing can differentiate the result further, cut the value from its tape so that the
    // tape can be freed now (a training loop that keeps its losses would otherwise keep every tape).
    return { value: recorded ? out : out.detach(), grads };
  };
  return (...xs) => (pool === undefined ? call(xs) : T.withStoragePool(pool, () => call(xs)));
}

/** The gradient of a scalar function, one per argument; `grad(grad(f))` works. */
export function grad(f: Fn, options: GradOptions = {}): (...xs: VarLike[]) => Var[] {
  const vg = valueAndGrad(f, options);
  return (...xs) => vg(...xs).grads;
}

/**
 * Forward mode by the double-VJP trick: the pullback u -> J^T u is linear in u, so differentiating
 * <J^T u, t> with respect to u gives J t, with no JVP rules of its own.
 */
export function jvp(f: Fn, xs: readonly VarLike[], tangents: readonly VarLike[]): { out: Var; tangent: Var } {
  if (tangents.length !== xs.length) {
    throw new AutogradError(`jvp: ${xs.length} inputs but ${tangents.length} tangents`);
  }
  const { out, pullback } = vjp(f, ...xs);
  const tangent = vjp((u) => {
    const cts = pullback(u);
    return cts.reduce((acc: Var | undefined, c, i) => {
      const t = toVar(tangents[i]!);
      if (!T.sameShape(t.shape, c.shape)) {
        throw new T.ShapeError(
          `jvp: tangent ${i} has shape ${fmtShape(t.shape)}, input has ${fmtShape(c.shape)}`,
        );
      }
      const d = dot(c, t);
      return acc === undefined ? d : acc.add(d);
    }, undefined)!;
  }, T.zeros(out.shape)).pullback(T.ones([]))[0]!;
  return { out, tangent };
}

/** Hessian-vector product: the gradient of <grad f(x), v> in x (reverse-over-reverse: grad of grad). */
export function hvp(f: Fn, xs: readonly VarLike[], vs: readonly VarLike[]): Var[] {
  return grad((...ys) => {
    const gs = grad(f)(...ys);
    return gs.reduce((acc: Var | undefined, g, i) => {
      const d = dot(g, vs[i]!);
      return acc === undefined ? d : acc.add(d);
    }, undefined)!;
  })(...xs);
}

/**
 * The Jacobian of f at x as a Var of shape [...out.shape, ...x.shape]: row by row with VJPs
 * (`mode: 'rev'`) or column by column with JVPs (`mode: 'fwd'`).
 */
export function jacobian(f: (x: Var) => Var, x: VarLike, opts: { mode?: 'rev' | 'fwd' } = {}): Var {
  const xv = toVar(x);
  if (opts.mode === 'fwd') {
    const cols: Var[] = [];
    let outShape: readonly number[] = [];
    for (let j = 0; j < xv.size; j++) {
      const e = T.zeros([xv.size]);
      e.data[j] = 1;
      const { out, tangent } = jvp(f, [xv], [e.reshape(xv.shape)]);
      outShape = out.shape;
      cols.push(reshape(tangent, [-1]));
    }
    if (cols.length === 0) return constant(T.zeros([...f(xv).shape, ...xv.shape]));
    return reshape(stack(cols, 1), [...outShape, ...xv.shape]);
  }
  const { out, pullback } = vjp(f, xv);
  const rows: Var[] = [];
  for (let i = 0; i < out.size; i++) {
    const e = T.zeros([out.size]);
    e.data[i] = 1;
    rows.push(reshape(pullback(e.reshape(out.shape))[0]!, [-1]));
  }
  if (rows.length === 0) return constant(T.zeros([...out.shape, ...xv.shape]));
  return reshape(stack(rows, 0), [...out.shape, ...xv.shape]);
}
