/**
 * sdeint: fixed-step solution of dy = f(t, y) dt + g(t, y) dW (Ito or Stratonovich, by method)
 * at the times ts, differentiable by backprop through the solver (every step is made of Var ops,
 * the Brownian increments are constants).
 *
 * Each output interval [ts[i], ts[i+1]] is cut into n = ceil(length / dt) equal steps, so steps are
 * at most dt and land exactly on every output time (as torchsde's fixed-step solvers do). The
 * Brownian path is queried at the step times only: with the same path (a `bm`, or the same seed)
 * runs at different dt see the same W.
 */

import type { Var, VarLike } from '@resode/autograd';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { fmtShape, type Rng } from '@resode/tensor';
import { SolverError } from '../errors.js';
import { type BrownianMotion, VirtualBrownianTree } from './brownian.js';
import { SdeError } from './errors.js';
import { SDE_METHODS, type SdeMethod } from './methods.js';
import { type Diffusion, type Drift, type NoiseType, SdeSystem } from './system.js';

export type SdeintOptions = {
  /** Default 'euler-maruyama'. */
  method?: SdeMethod;
  /** Largest step size (required). */
  dt: number;
  /** One source of noise: a seed, a generator (one number is drawn from it), or a path to reuse. */
  seed?: number;
  rng?: Rng;
  bm?: BrownianMotion;
  /** 'diagonal' (default): g has y's shape. 'general': g has shape [...y.shape, ...noiseShape]. */
  noiseType?: NoiseType;
  /** Shape of W for general noise. */
  noiseShape?: readonly number[];
  /** Width of the leaves of the Brownian tree built from seed or rng (default (t1 - t0) 2^-24). */
  brownianTol?: number;
};

/** The solution at ts, shape [ts.length, ...y0.shape], result[0] = y0. */
export function sdeint(
  f: Drift,
  g: Diffusion,
  y0In: VarLike,
  ts: readonly number[],
  optsIn: SdeintOptions,
): Var {
  const opts: Partial<SdeintOptions> = optsIn ?? {};
  const y0 = A.toVar(y0In);
  const methodName = opts.method ?? 'euler-maruyama';
  const method = checkMethod(methodName);
  const dt = checkDt(opts.dt);
  checkTimes(ts);
  const noiseType = opts.noiseType ?? 'diagonal';
  const noiseShape = checkNoise(noiseType, opts.noiseShape, y0.shape);
  if ((method.strongOrder as Partial<Record<NoiseType, number>>)[noiseType] === undefined) {
    const accepted = Object.keys(method.strongOrder).join(', ');
    throw new SdeError(`sdeint: method '${methodName}' needs ${accepted} noise, got ${noiseType} noise`);
  }
  const bm = brownianFor(opts, ts, noiseShape);
  const sys = new SdeSystem(f, g, noiseType, noiseShape);

  const grids = ts.slice(1).map((b, i) => stepTimes(ts[i]!, b, dt));
  checkResolution(bm, grids);

  const out: Var[] = [y0];
  let y = y0;
  let steps = 0;
  let wPrev = bm.at(ts[0]!);
  for (const grid of grids) {
    for (let k = 1; k < grid.length; k++) {
      const [t, tNext] = [grid[k - 1]!, grid[k]!];
      const wNext = bm.at(tNext);
      y = method.step(sys, t, tNext, y, T.sub(wNext, wPrev));
      steps++;
      checkFinite(y, tNext, tNext - t, steps, methodName);
      wPrev = wNext;
    }
    out.push(y);
  }
  return A.stack(out, 0);
}

/** a, ..., b in n = ceil((b - a) / dt) equal steps (the tiny slack absorbs rounding of the ratio). */
function stepTimes(a: number, b: number, dt: number): number[] {
  const n = Math.max(1, Math.ceil(((b - a) / dt) * (1 - 1e-12)));
  return Array.from({ length: n + 1 }, (_, k) => (k === n ? b : a + ((b - a) * k) / n));
}

/**
 * Inside a leaf of the tree W is interpolated linearly, which lowers the variance of an increment
 * by up to tol / 2: steps must be long against tol.
 */
function checkResolution(bm: BrownianMotion, grids: number[][]): void {
  if (!(bm instanceof VirtualBrownianTree)) return;
  let shortest = Number.POSITIVE_INFINITY;
  for (const grid of grids)
    for (let k = 1; k < grid.length; k++) shortest = Math.min(shortest, grid[k]! - grid[k - 1]!);
  if (shortest < 256 * bm.tol) {
    throw new SdeError(
      `sdeint: step size ${shortest} is too short for the Brownian tree's resolution tol = ${bm.tol} ` +
        '(steps must be at least 256 tol); pass a smaller opts.brownianTol or a tree with a smaller tol',
    );
  }
}

function checkMethod(name: string) {
  if (!Object.hasOwn(SDE_METHODS, name)) {
    const known = Object.keys(SDE_METHODS).join("', '");
    throw new SdeError(`sdeint: unknown method '${name}'; known methods: '${known}'`);
  }
  return SDE_METHODS[name as SdeMethod];
}

function checkDt(dt: number | undefined): number {
  if (dt === undefined) throw new SdeError('sdeint: opts.dt (the largest step size) is required');
  if (!(Number.isFinite(dt) && dt > 0)) {
    throw new SdeError(`sdeint: dt must be a positive finite number, got ${dt}`);
  }
  return dt;
}

function checkTimes(ts: readonly number[]): void {
  if (ts.length === 0) throw new SdeError('sdeint: ts is empty');
  ts.forEach((t, i) => {
    if (!Number.isFinite(t)) throw new SdeError(`sdeint: ts[${i}] = ${t} is not finite`);
    if (i > 0 && !(t > ts[i - 1]!)) {
      throw new SdeError(
        `sdeint: ts must be strictly increasing, but ts[${i - 1}] = ${ts[i - 1]} >= ts[${i}] = ${t}`,
      );
    }
  });
}

function checkNoise(type: NoiseType, shape: readonly number[] | undefined, yShape: readonly number[]) {
  if (type === 'diagonal') {
    if (shape !== undefined && fmtShape(shape) !== fmtShape(yShape)) {
      throw new SdeError(
        `sdeint: diagonal noise has the state's shape ${fmtShape(yShape)}, got noiseShape ${fmtShape(shape)}`,
      );
    }
    return yShape;
  }
  if (type !== 'general')
    throw new SdeError(`sdeint: unknown noiseType '${type}'; known: 'diagonal', 'general'`);
  if (shape === undefined)
    throw new SdeError("sdeint: noiseType 'general' needs opts.noiseShape (the shape of W)");
  return shape;
}

function brownianFor(
  opts: Partial<SdeintOptions>,
  ts: readonly number[],
  shape: readonly number[],
): BrownianMotion {
  const t0 = ts[0]!;
  const t1 = ts[ts.length - 1]!;
  const sources = [opts.seed, opts.rng, opts.bm].filter((s) => s !== undefined).length;
  if (sources !== 1) {
    throw new SdeError(
      `sdeint: give exactly one source of noise (opts.seed, opts.rng or opts.bm), got ${sources}`,
    );
  }
  if (opts.bm !== undefined) {
    const bm = opts.bm;
    if (fmtShape(bm.shape) !== fmtShape(shape)) {
      throw new SdeError(
        `sdeint: the Brownian motion has shape ${fmtShape(bm.shape)}, the noise needs ${fmtShape(shape)}`,
      );
    }
    if (bm.t0 > t0 || bm.t1 < t1) {
      throw new SdeError(`sdeint: the Brownian motion covers [${bm.t0}, ${bm.t1}], ts span [${t0}, ${t1}]`);
    }
    return bm;
  }
  const seed = opts.seed ?? opts.rng!.nextUint32();
  // A single output time needs no path; the tree still wants an interval.
  const end = t1 > t0 ? t1 : t0 + 1;
  return new VirtualBrownianTree({ t0, t1: end, shape, seed, tol: opts.brownianTol });
}

function checkFinite(y: Var, t: number, h: number, steps: number, method: string): void {
  for (const v of y.value.values()) {
    if (!Number.isFinite(v)) {
      throw new SolverError(
        `sdeint: the state became non-finite in a step of '${method}'; ` +
          'the SDE may blow up on this path, or the step size is too large for it',
        { t, h, steps },
      );
    }
  }
}
