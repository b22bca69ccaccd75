/**
 * Brownian motion that can be queried at any time, always consistently: a virtual Brownian tree
 * (Gaines and Lyons 1997; Li, Wong, Chen, Duvenaud 2020; Kidger 2021, section 5.5.2, diffrax's
 * VirtualBrownianTree).
 *
 * Nothing is stored. The interval [t0, t1] is the root of an infinite binary tree of dyadic
 * sub-intervals. W(t1) ~ N(0, t1 - t0) is drawn from the seed; every node [s, u] with known W(s)
 * and W(u) fixes its midpoint m = (s + u) / 2 by the Brownian bridge
 *
 *   W(m) | W(s), W(u)  ~  N( (W(s) + W(u)) / 2 , (u - s) / 4 ),
 *
 * with the normal numbers drawn from the node's own seed, and hands a seed to each child. Seeds
 * come from the parent's by splitting, so a node's numbers depend only on the root seed and the
 * node's position in the tree. W(t) descends from the root to the node that contains t until the
 * node is shorter than `tol`, then interpolates linearly. The answer is a function of (seed, t)
 * alone: it does not depend on which times were asked before, or in which order, so solvers with
 * different step sizes see the same path. Times that are tree nodes (dyadic fractions of
 * [t0, t1]) are exact.
 */
import { createRng, fmtShape, type Rng, sizeOf, Tensor } from '@resode/tensor';
import { SdeError } from './errors.js';

/** A Brownian motion on [t0, t1] with values of a fixed shape, W(t0) = 0. */
export interface BrownianMotion {
  readonly t0: number;
  readonly t1: number;
  readonly shape: readonly number[];
  /** W(t) for t in [t0, t1]. */
  at(t: number): Tensor;
  /** W(t) - W(s). */
  increment(s: number, t: number): Tensor;
}

export type VirtualBrownianTreeOptions = {
  t0: number;
  t1: number;
  /** Shape of W (for diagonal noise, the shape of the state). */
  shape: readonly number[];
  seed: number;
  /** Width below which a node is not bisected further (default (t1 - t0) * 2^-24). */
  tol?: number;
};

/** A node of the tree: an interval, W at both ends, and the seed of its own randomness. */
type Node = { s: number; u: number; ws: Float64Array; wu: Float64Array; seed: number };

export class VirtualBrownianTree implements BrownianMotion {
  readonly t0: number;
  readonly t1: number;
  readonly shape: readonly number[];
  readonly tol: number;
  private readonly size: number;
  private readonly root: Node;
  /**
   * The last path walked from the root (a cache: the answers do not depend on it). Consecutive
   * queries of a solver share most of their path, so each one costs a few bisections.
   */
  private path: Node[];

  constructor(opts: VirtualBrownianTreeOptions) {
    const { t0, t1, shape, seed } = opts;
    if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 > t0)) {
      throw new SdeError(`VirtualBrownianTree: needs finite t0 < t1, got [${t0}, ${t1}]`);
    }
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new SdeError(`VirtualBrownianTree: invalid shape ${fmtShape(shape)}`);
    }
    const tol = opts.tol ?? (t1 - t0) * 2 ** -24;
    if (!(tol > 0)) throw new SdeError(`VirtualBrownianTree: tol must be positive, got ${tol}`);
    if (!Number.isFinite(seed)) throw new SdeError(`VirtualBrownianTree: seed must be finite, got ${seed}`);
    this.t0 = t0;
    this.t1 = t1;
    this.shape = [...shape];
    this.tol = tol;
    this.size = sizeOf(shape);
    const rng = createRng(seed);
    const wu = normals(rng, this.size, Math.sqrt(t1 - t0));
    this.root = { s: t0, u: t1, ws: new Float64Array(this.size), wu, seed: rng.nextUint32() };
    this.path = [this.root];
  }

  at(t: number): Tensor {
    if (!(t >= this.t0 && t <= this.t1)) {
      throw new SdeError(`VirtualBrownianTree: time ${t} is outside [${this.t0}, ${this.t1}]`);
    }
    return Tensor.view(this.evaluate(t), this.shape);
  }

  increment(s: number, t: number): Tensor {
    const ws = this.at(s).data;
    const wt = this.evaluate(t);
    const out = new Float64Array(this.size);
    for (let i = 0; i < out.length; i++) out[i] = wt[i]! - ws[i]!;
    return Tensor.view(out, this.shape);
  }

  /** W(t) as a fresh array (t already checked to lie in [t0, t1]). */
  private evaluate(t: number): Float64Array {
    // Climb the cached path to the deepest node that contains t, then bisect down from there.
    let depth = this.path.length - 1;
    while (depth > 0 && !(t >= this.path[depth]!.s && t <= this.path[depth]!.u)) depth--;
    this.path.length = depth + 1;
    let node = this.path[depth]!;
    for (;;) {
      if (t === node.s) return node.ws.slice();
      if (t === node.u) return node.wu.slice();
      if (node.u - node.s <= this.tol) break;
      node = this.child(node, t);
      this.path.push(node);
    }
    // Linear interpolation inside a leaf (its width is below tol).
    const r = (t - node.s) / (node.u - node.s);
    const out = new Float64Array(this.size);
    for (let i = 0; i < out.length; i++) out[i] = node.ws[i]! + r * (node.wu[i]! - node.ws[i]!);
    return out;
  }

  /** The half of `node` that contains t, with W at its midpoint from the Brownian bridge. */
  private child(node: Node, t: number): Node {
    const { s, u, ws, wu } = node;
    const m = s + (u - s) / 2;
    const rng = createRng(node.seed);
    const leftSeed = rng.nextUint32();
    const rightSeed = rng.nextUint32();
    const wm = normals(rng, this.size, Math.sqrt(u - s) / 2);
    for (let i = 0; i < wm.length; i++) wm[i] = wm[i]! + (ws[i]! + wu[i]!) / 2;
    return t < m ? { s, u: m, ws, wu: wm, seed: leftSeed } : { s: m, u, ws: wm, wu, seed: rightSeed };
  }
}

function normals(rng: Rng, n: number, scale: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
  return out;
}
