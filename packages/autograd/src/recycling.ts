/**
 * Which storage a backward pass may give back for reuse (@resode/tensor buffers.ts): its own dead
 * cotangents (CotangentStorage), and on request the tape's values once it is over
 * (recycleIntermediates).
 *
 * During a pass that is not itself recorded, the cotangents that primitives' VJPs make are held
 * by nobody but the pass: by the slots of its `grads` array, possibly several at once (add's VJP
 * passes one cotangent to both inputs; reshape, permute and broadcastTo pass views of it). So the
 * pass counts, per storage array, the slots holding it, and recycles the array when the count
 * drops to zero. Storage the pass did not make (the seed cotangent, forward values, whatever a
 * customVjp returns) is never counted, and storage that leaves the pass (a target's gradient) or
 * goes into a customVjp (which may keep it, unless declared recyclable) is pinned: neither is ever
 * recycled.
 */
import { recycle } from '@resode/tensor';
import type { Tape } from './engine.js';
import type { Var } from './var.js';

export class CotangentStorage {
  private readonly uses = new Map<Float64Array, number>();
  private readonly pinned = new Set<Float64Array>();

  /**
   * `made` was stored in a slot. `fresh`: the VJP of a recyclable node (a primitive, or a customVjp
   * declared recyclable) or the engine made it, unless it is
   * the storage of the cotangent `g` passed in, of the node's output `out` or of one of its
   * `inputs`: then it is counted only if that storage already is. Arrays of up to 8 numbers are
   * not worth it (recycle ignores them): they are left out, which spares tiny ops the bookkeeping.
   */
  stored(made: Var, fresh: boolean, g?: Var, out?: Var, inputs?: readonly Var[]): void {
    const data = made.value.data;
    if (data.length <= 8) return;
    const n = this.uses.get(data);
    if (n !== undefined) this.uses.set(data, n + 1);
    else if (
      fresh &&
      data !== g?.value.data &&
      data !== out?.value.data &&
      !inputs?.some((v) => v.value.data === data)
    )
      this.uses.set(data, 1);
  }

  /** A slot holding `v` was emptied: recycle its storage if no slot holds it any more. */
  released(v: Var): void {
    const data = v.value.data;
    const n = this.uses.get(data);
    if (n === undefined) return;
    if (n > 1) {
      this.uses.set(data, n - 1);
      return;
    }
    this.uses.delete(data);
    if (!this.pinned.has(data)) recycle(data);
  }

  /** `v` leaves the pass (a result) or goes where it may be kept (a customVjp): never recycle it. */
  pin(v: Var): void {
    if (this.uses.has(v.value.data)) this.pinned.add(v.value.data);
  }
}

/**
 * After a backward pass that nothing records, gives the storage of the tape's intermediate values
 * to the current pool (`withStoragePool`) and disposes their Vars, for `valueAndGrad(f,
 * { reuseStorage: true })`: the caller has promised that f keeps none of them. A primitive's
 * value is a fresh array or a view of one of its inputs (reshape, permute, slice...), so the
 * storage of a value on the tape belongs to the tape unless it is a view of a target (the
 * arguments: user storage) or is the output; a customVjp's value is user code's and may be kept,
 * so it is left alone too, unless its author declared it `recyclable`.
 */
export function recycleIntermediates(tape: Tape, out: Var, targets: readonly Var[]): void {
  const isTarget = new Set(targets);
  const kept = new Set<Float64Array>([out, ...targets].map((v) => v.value.data));
  const recycled = new Set<Float64Array>();
  for (const v of tape.order) {
    if (v === out || isTarget.has(v)) continue;
    const data = v.value.data;
    if (v.node!.recyclable && !kept.has(data) && !recycled.has(data)) {
      recycled.add(data);
      recycle(data);
    }
    if (recycled.has(data)) v.markRecycled();
    else v.dispose();
  }
}
