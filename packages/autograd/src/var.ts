import { fmtShape, type NestedArray, type Tensor } from '@resode/tensor';
import type { Node } from './engine.js';
import { AutogradError } from './errors.js';
import * as ops from './ops.js';

/** Anything an op accepts: a Var, a Tensor, a number or nested arrays (the last three as constants). */
export type VarLike = Var | Tensor | number | NestedArray;

/**
 * A value in a differentiable computation: a Tensor plus, when it depends on something being
 * differentiated, the `node` that made it (the primitive and its inputs). Following `node.inputs`
 * from an output walks the tape backwards. Every op is a method here and a function in ops.ts.
 */
export class Var {
  private readonly tensor: Tensor;
  /** The primitive application that produced this value (undefined for leaves and constants). */
  node: Node | undefined;
  /** True for leaves being differentiated and for everything computed from them. */
  requiresGrad: boolean;
  /** Filled by `backward()` on leaves, as in PyTorch. */
  grad: Var | undefined;
  private disposed = false;
  /** Set when a `reuseStorage` or `release` gave this value's storage to the next computation. */
  private recycled = false;

  constructor(value: Tensor, requiresGrad = false, node?: Node) {
    this.tensor = value;
    this.requiresGrad = requiresGrad;
    this.node = node;
  }

  /** The Tensor this Var holds. */
  get value(): Tensor {
    if (this.recycled) {
      throw new AutogradError(
        `this Var (shape ${fmtShape(this.tensor.shape)}) was an intermediate value of a gradient computed with ` +
          'reuseStorage (or a pullback with release), and its storage now serves later computations; ' +
          'copy what you need inside the function (T.copy(v.value)) instead of keeping the Var',
      );
    }
    return this.tensor;
  }

  get shape(): readonly number[] {
    return this.tensor.shape;
  }
  get rank(): number {
    return this.tensor.rank;
  }
  get size(): number {
    return this.tensor.size;
  }
  toArray(): NestedArray {
    return this.value.toArray();
  }
  item(): number {
    return this.value.item();
  }
  toString(): string {
    return `Var(${this.value.toString()}${this.node ? `, op=${this.node.name}` : ''})`;
  }

  /** Releases the tape behind this value; using it afterwards throws. */
  dispose(): void {
    this.disposed = true;
    this.node = undefined;
  }
  /** @internal Its storage was handed to a pool (autograd recycling.ts): disposed, and `value` throws. */
  markRecycled(): void {
    this.dispose();
    this.recycled = true;
  }
  get isDisposed(): boolean {
    return this.disposed;
  }
  /** @internal */
  assertLive(op: string): void {
    if (this.disposed) throw new AutogradError(`${op}: this Var was disposed`);
  }

  /** Reverse-mode from this scalar: fills `.grad` on every leaf that requires grad (accumulating). */
  backward(): void {
    ops.backwardInto(this);
  }

  /** The same value, cut from the tape: a constant to autodiff. */
  detach(): Var {
    return new Var(this.value);
  }

  add(y: VarLike): Var {
    return ops.add(this, y);
  }
  sub(y: VarLike): Var {
    return ops.sub(this, y);
  }
  mul(y: VarLike): Var {
    return ops.mul(this, y);
  }
  div(y: VarLike): Var {
    return ops.div(this, y);
  }
  pow(y: VarLike): Var {
    return ops.pow(this, y);
  }
  neg(): Var {
    return ops.neg(this);
  }
  exp(): Var {
    return ops.exp(this);
  }
  log(): Var {
    return ops.log(this);
  }
  sqrt(): Var {
    return ops.sqrt(this);
  }
  abs(): Var {
    return ops.abs(this);
  }
  sin(): Var {
    return ops.sin(this);
  }
  cos(): Var {
    return ops.cos(this);
  }
  tanh(): Var {
    return ops.tanh(this);
  }
  relu(): Var {
    return ops.relu(this);
  }
  sigmoid(): Var {
    return ops.sigmoid(this);
  }
  softplus(): Var {
    return ops.softplus(this);
  }
  square(): Var {
    return ops.square(this);
  }
  matmul(y: VarLike): Var {
    return ops.matmul(this, y);
  }
  transpose(a?: number, b?: number): Var {
    return ops.transpose(this, a, b);
  }
  permute(axes?: readonly number[]): Var {
    return ops.permute(this, axes);
  }
  reshape(shape: readonly number[]): Var {
    return ops.reshape(this, shape);
  }
  broadcastTo(shape: readonly number[]): Var {
    return ops.broadcastTo(this, shape);
  }
  expandDims(axis: number): Var {
    return ops.expandDims(this, axis);
  }
  squeeze(axes?: number | readonly number[]): Var {
    return ops.squeeze(this, axes);
  }
  sum(axes?: number | readonly number[], opts?: ops.ReduceOpts): Var {
    return ops.sum(this, axes, opts);
  }
  mean(axes?: number | readonly number[], opts?: ops.ReduceOpts): Var {
    return ops.mean(this, axes, opts);
  }
  max(axes?: number | readonly number[], opts?: ops.ReduceOpts): Var {
    return ops.max(this, axes, opts);
  }
  min(axes?: number | readonly number[], opts?: ops.ReduceOpts): Var {
    return ops.min(this, axes, opts);
  }
  slice(ranges: ops.SliceRanges): Var {
    return ops.slice(this, ranges);
  }
  index(i: number): Var {
    return ops.index(this, i);
  }
  gather(indices: readonly number[], axis?: number): Var {
    return ops.gather(this, indices, axis);
  }
}
