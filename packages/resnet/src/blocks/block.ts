/**
 * Residual blocks: the branch f(h, theta_k) of one layer h_{k+1} = h_k + alpha f(h_k, theta_k).
 *
 *   'vsw'             f = V sigma(W h)            theta = (W [m, d], V [d, m])   the default
 *   'sw'              f = sigma(W h)              theta = (W [d, d])
 *   'vswb'            f = V sigma(W h + b)        theta = (W [m, d], b [m], V [d, m])
 *   'linear-features' f = sum_j theta_j phi_j(h)  theta = (V [d, m]: column j is theta_j)
 *                     with fixed random features phi(h) = sigma(U h + c) shared by all layers
 *                     (Barboni, Peyre, Vialard 2021: f is linear in theta, the fields live in an
 *                     RKHS). Only V is trained.
 */

import type { Var } from '@resode/autograd';
import * as A from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import { fmtShape, ShapeError } from '@resode/tensor';
import type { Activation } from '../activations.js';
import { type BranchWeights, branchReference, fusedBranch, fusedEulerStep } from './fused.js';

export const BLOCKS = ['vsw', 'sw', 'vswb', 'linear-features'] as const;
export type BlockKind = (typeof BLOCKS)[number];

/** The names of the trained weights of each kind, in the order of `params`. */
export const BLOCK_PARAMS: Record<BlockKind, readonly ('W' | 'b' | 'V')[]> = {
  vsw: ['W', 'V'],
  sw: ['W'],
  vswb: ['W', 'b', 'V'],
  'linear-features': ['V'],
};

/** Fixed random features phi(h) = sigma(U h + c) of the linear parameterisation. */
export type RandomFeatures = { U: Tensor; c: Tensor };

export class Block {
  readonly kind: BlockKind;
  readonly activation: Activation;
  /** Inner weight [m, d] (for 'linear-features': the fixed feature matrix U, a constant). */
  readonly W: Var;
  /** Inner bias [m] ('vswb'; for 'linear-features': the fixed feature offsets c). */
  readonly b: Var | undefined;
  /** Outer weight [d, m] (absent for 'sw'; for 'linear-features': the coefficients theta_j as columns). */
  readonly V: Var | undefined;

  constructor(kind: BlockKind, activation: Activation, weights: { W: Var; b?: Var; V?: Var }) {
    this.kind = kind;
    this.activation = activation;
    this.W = weights.W;
    this.b = weights.b;
    this.V = weights.V;
  }

  /** theta_k: the trained weights of this layer, in the order of BLOCK_PARAMS[kind]. */
  get params(): Var[] {
    return BLOCK_PARAMS[this.kind].map((name) => this[name]!);
  }

  /** The same block with other Vars as its trained weights (in the order of `params`). */
  withParams(params: readonly Var[]): Block {
    const names = BLOCK_PARAMS[this.kind];
    if (params.length !== names.length) {
      throw new ShapeError(
        `block '${this.kind}': expected ${names.length} weights (${names.join(', ')}), got ${params.length}`,
      );
    }
    const weights: { W: Var; b?: Var; V?: Var } = { W: this.W };
    if (this.b !== undefined) weights.b = this.b;
    if (this.V !== undefined) weights.V = this.V;
    names.forEach((name, i) => {
      const old = this[name]!;
      const p = params[i]!;
      if (p.rank !== old.rank || p.shape.some((d, j) => d !== old.shape[j])) {
        throw new ShapeError(
          `block '${this.kind}': weight ${name} must have shape ${fmtShape(old.shape)}, got ${fmtShape(p.shape)}`,
        );
      }
      weights[name] = p;
    });
    return new Block(this.kind, this.activation, weights);
  }

  /** f(h, theta_k) for h of shape [n, d] or [d]: the fused node (fused.ts). */
  f(h: Var): Var {
    return this.apply(h, (x, w) => fusedBranch(x, w, this.activation));
  }

  /** The Euler layer h + alpha f(h, theta_k) as one fused node (alpha a fixed number). */
  eulerStep(h: Var, alpha: number): Var {
    return this.apply(h, (x, w) => fusedEulerStep(x, w, this.activation, alpha));
  }

  /** The same function recorded op by op from autograd primitives (the reference for tests). */
  reference(h: Var): Var {
    return this.apply(h, (x, w) => branchReference(x, w, this.activation));
  }

  private apply(h: Var, branch: (x: Var, w: BranchWeights) => Var): Var {
    const d = this.W.shape[1]!;
    if ((h.rank !== 1 && h.rank !== 2) || h.shape[h.rank - 1] !== d) {
      throw new ShapeError(
        `residual block '${this.kind}': expected h of shape [batch, ${d}] or [${d}], got ${fmtShape(h.shape)}`,
      );
    }
    const weights = { W: this.W, b: this.b, V: this.V };
    if (h.rank === 2) return branch(h, weights);
    return A.reshape(branch(A.reshape(h, [1, d]), weights), [d]);
  }
}
