/**
 * The augmented system of the continuous adjoint (Pontryagin 1962; Chen, Rubanova, Bettencourt,
 * Duvenaud 2018, Appendix B), solved backwards in time:
 *
 *   dy/dt       =  f(t, y, theta)
 *   da/dt       = -a^T df/dy (t, y, theta)          a(t)       = dL/dy(t)
 *   da_theta/dt = -a^T df/dtheta (t, y, theta)      a_theta(T) = 0,  a_theta(t0) = dL/dtheta
 *
 * y is recomputed backwards alongside a (no trajectory is stored), and a^T df/dy, a^T df/dtheta are
 * one vector-Jacobian product of f, taken by the autograd engine at each evaluation. The three
 * parts live in one flat vector z = [y, a, a_theta] so that the ODE solver sees a single state.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import type { Norm } from '@resode/ode';
import { fmtShape, ShapeError, StoragePool, Tensor, withStoragePool } from '@resode/tensor';
import { assertNoClosedOverVars } from './closure.js';

/** A vector field with explicit parameters: dy/dt = f(t, y, params). */
export type ParamField = (t: number, y: Var, params: Var[]) => Var;

const sizeOf = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

export class AugmentedState {
  readonly n: number;
  readonly paramSizes: number[];
  readonly size: number;

  constructor(
    readonly yShape: readonly number[],
    readonly paramShapes: readonly (readonly number[])[],
  ) {
    this.n = sizeOf(yShape);
    this.paramSizes = paramShapes.map(sizeOf);
    this.size = 2 * this.n + this.paramSizes.reduce((a, b) => a + b, 0);
  }

  pack(y: Tensor, a: Tensor, aParams: readonly Tensor[]): Tensor {
    const z = new Float64Array(this.size);
    z.set(y.values(), 0);
    z.set(a.values(), this.n);
    let o = 2 * this.n;
    aParams.forEach((g, i) => {
      z.set(g.values(), o);
      o += this.paramSizes[i]!;
    });
    return Tensor.view(z, [this.size]);
  }

  /** Copies of the parts of z, in their own shapes. */
  unpack(zIn: Tensor): { y: Tensor; a: Tensor; aParams: Tensor[] } {
    const z = zIn.values();
    const n = this.n;
    const y = Tensor.view(z.slice(0, n), this.yShape);
    const a = Tensor.view(z.slice(n, 2 * n), this.yShape);
    let o = 2 * n;
    const aParams = this.paramShapes.map((s, i) => {
      const t = Tensor.view(z.slice(o, o + this.paramSizes[i]!), s);
      o += this.paramSizes[i]!;
      return t;
    });
    return { y, a, aParams };
  }

  /**
   * The error norm of the backward solve: the largest RMS over the groups y, a, a_theta (a mixed
   * norm, as torchdiffeq's, so that a big parameter vector does not drown the state). With
   * `seminorm`, a_theta is left out (Kidger, Chen, Lyons 2021, "Hey, that's not an ODE"): a_theta
   * never feeds back into y or a, so its local errors do not grow, and steps sized for y and a
   * are accurate enough for the quadrature that a_theta is.
   */
  norm(seminorm: boolean): Norm {
    const n = this.n;
    const end = seminorm ? 2 * n : this.size;
    return (ratio) => {
      const r = ratio.values();
      const rms = (lo: number, hi: number) => {
        let s = 0;
        for (let i = lo; i < hi; i++) s += r[i]! * r[i]!;
        return hi > lo ? Math.sqrt(s / (hi - lo)) : 0;
      };
      return Math.max(rms(0, n), rms(n, 2 * n), end > 2 * n ? rms(2 * n, end) : 0);
    };
  }
}

/**
 * f(t, y, params) and its VJP with cotangent a, at one point: the engine of the augmented field.
 * With `checkClosure`, the tape of this evaluation is searched for Vars f closes over.
 */
export function fieldVjp(
  f: ParamField,
  t: number,
  y: Tensor,
  params: readonly Tensor[],
  a: Tensor,
  checkClosure: boolean,
  who: string,
): { fy: Tensor; aJy: Tensor; aJparams: Tensor[] } {
  let targets: Var[] = [];
  const { out, pullback } = A.vjp(
    (yy, ...ps) => {
      targets = [yy, ...ps];
      return f(t, yy, ps);
    },
    y,
    ...params,
  );
  if (!(out instanceof A.Var) || out.rank !== y.rank || out.shape.some((d, i) => d !== y.shape[i])) {
    const got = out instanceof A.Var ? fmtShape(out.shape) : typeof out;
    throw new ShapeError(
      `${who}: f(t, y, params) returned shape ${got} at t = ${t}, but the state has shape ${fmtShape(y.shape)}`,
    );
  }
  if (checkClosure) assertNoClosedOverVars(out, new Set(targets), t, who);
  // The tape is not needed after this one pullback: its storage goes to the current pool, if any.
  const [aJy, ...aJparams] = pullback(a, { release: true });
  return { fy: out.value, aJy: aJy!.value, aJparams: aJparams.map((g) => g.value) };
}

/** The augmented field z -> dz/dt on the flat state (a constant Tensor: nothing is recorded). */
export function augmentedField(
  f: ParamField,
  state: AugmentedState,
  params: readonly Tensor[],
  who: string,
): (t: number, z: Var) => Tensor {
  let checked = false;
  // Each evaluation's tape is dead once its results are packed into dz: the next evaluation
  // reuses its storage (autograd's `release`), as valueAndGrad's `reuseStorage` does for a step.
  const pool = new StoragePool();
  return (t, z) => {
    const { y, a } = state.unpack(z.value);
    const { fy, aJy, aJparams } = withStoragePool(pool, () => fieldVjp(f, t, y, params, a, !checked, who));
    checked = true;
    const dz = state.pack(fy, aJy, aJparams);
    // da/dt = -a^T df/dy and da_theta/dt = -a^T df/dtheta: negate everything after y.
    const v = dz.data;
    for (let i = state.n; i < v.length; i++) v[i] = -v[i]!;
    return dz;
  };
}
