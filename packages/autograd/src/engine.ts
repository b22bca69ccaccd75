import { fmtShape, type Tensor, withRecycling } from '@resode/tensor';
import { AnomalyError, AutogradError } from './errors.js';
import { mode, withRecording } from './mode.js';
import { sumToShape } from './ops.js';
import { CotangentStorage } from './recycling.js';
import { type Params, type PrimitiveName, rules } from './rules.js';
import { Var } from './var.js';

/** One recorded primitive application: what the backward pass needs to run its VJP. */
export type Node = {
  name: string;
  inputs: Var[];
  params: unknown;
  vjp: (ct: Var, inputs: Var[], out: Var, params: unknown, needs: boolean[]) => (Var | null)[];
  /**
   * The engine may reuse this node's storage (recycling.ts): its value is fresh or a view of an
   * input, and its VJP keeps no cotangent. True for the primitives of rules.ts; for a customVjp
   * only when its author says so.
   */
  recyclable: boolean;
};

/**
 * Runs a primitive forward and, when any input requires grad (and we are recording), records the
 * node that links the output to its inputs. This is the whole "tape": a DAG of Vars.
 */
export function apply<K extends PrimitiveName>(name: K, inputs: Var[], params: Params[K]): Var {
  const rule = rules[name];
  const values = new Array<Tensor>(inputs.length);
  let tracked = false;
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    x.assertLive(name);
    values[i] = x.value;
    tracked ||= x.requiresGrad;
  }
  const value = rule.forward(values, params as never);
  if (mode.detectAnomaly) checkFinite(value, inputs, name, 'forward');
  if (!tracked || !mode.recording) return new Var(value);
  return new Var(value, true, { name, inputs, params, vjp: rule.vjp as Node['vjp'], recyclable: true });
}

/** Records a node with a VJP that is not in the table (customVjp); its value is already computed. */
export function applyCustom(
  name: string,
  value: Tensor,
  inputs: Var[],
  vjp: Node['vjp'],
  recyclable = false,
): Var {
  if (mode.detectAnomaly) checkFinite(value, inputs, name, 'forward');
  if (!mode.recording || !inputs.some((x) => x.requiresGrad)) return new Var(value);
  return new Var(value, true, { name, inputs, params: undefined, vjp, recyclable });
}

export function hasNonFinite(t: Tensor): boolean {
  const v = t.values();
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return true;
  return false;
}

/** The primitive whose VJP the backward pass is running (for anomaly messages). */
let inVjpOf: string | undefined;

function checkFinite(value: Tensor, inputs: Var[], name: string, pass: string): void {
  if (hasNonFinite(value) && !inputs.some((x) => hasNonFinite(x.value))) {
    const shapes = inputs.map((x) => fmtShape(x.shape)).join(', ');
    const where = inVjpOf === undefined ? '' : ` in the VJP of '${inVjpOf}'`;
    throw new AnomalyError(
      `${pass} of '${name}'${where} produced a non-finite value from finite inputs of shapes ${shapes}`,
    );
  }
}

/** The part of the tape that a backward pass from `out` to the targets walks. */
export type Tape = {
  /** The Vars from which some target can be reached, inputs before outputs (a topological order); `out` last. */
  order: Var[];
  /** Where each of them is in `order`: only these need a cotangent. */
  position: Map<Var, number>;
  /** True when the walk met a differentiable leaf that is not a target (another transform's variable). */
  reachesOtherLeaves: boolean;
};

const NO_INPUTS: Var[] = [];

/**
 * Walks the tape back from `out`, stopping at targets, by an iterative post-order depth-first
 * search (graphs thousands of layers deep would overflow a recursive one). A Var enters the order
 * after all its inputs, and only if a target is reachable from it.
 */
export function tapeBetween(out: Var, isTarget: (v: Var) => boolean): Tape {
  const visited = new Set<Var>();
  const position = new Map<Var, number>();
  const order: Var[] = [];
  let reachesOtherLeaves = false;
  const stack: Var[] = [out];
  const nextInput: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const v = stack[top]!;
    const target = isTarget(v);
    const inputs = target || v.node === undefined ? NO_INPUTS : v.node.inputs;
    const i = nextInput[top]!;
    if (i < inputs.length) {
      nextInput[top] = i + 1;
      const x = inputs[i]!;
      if (x.requiresGrad && !visited.has(x)) {
        stack.push(x);
        nextInput.push(0);
      }
      continue;
    }
    stack.pop();
    nextInput.pop();
    if (visited.has(v)) continue;
    visited.add(v);
    if (v.isDisposed) {
      throw new AutogradError(
        `backward: the graph passes through a disposed Var of shape ${fmtShape(v.shape)}; dispose values only after differentiating`,
      );
    }
    if (!target && v.node === undefined && v.requiresGrad) reachesOtherLeaves = true;
    if (target || inputs.some((x) => position.has(x))) {
      position.set(v, order.length);
      order.push(v);
    }
  }
  return { order, position, reachesOtherLeaves };
}

/**
 * The backward pass: seed `out` with the cotangent `ct`, then walk the tape from the output back
 * to the inputs, each node passing its cotangent through its VJP rule to its inputs and summing
 * where a value was used more than once. Broadcasting is undone here, once, for every rule.
 * With `createGraph`, the ops of this pass are themselves recorded (for higher derivatives).
 * Returns the cotangent of every target that `out` depends on.
 */
export function backwardPass(
  tape: Tape,
  out: Var,
  ct: Var,
  isTarget: (v: Var) => boolean,
  createGraph: boolean,
): Map<Var, Var> {
  if (ct.shape.length !== out.shape.length || ct.shape.some((d, i) => d !== out.shape[i])) {
    throw new AutogradError(
      `backward: cotangent of shape ${fmtShape(ct.shape)} for an output of shape ${fmtShape(out.shape)}`,
    );
  }
  const { order, position } = tape;
  const results = new Map<Var, Var>();
  if (order.length === 0) return results; // no target is reachable from out
  // grads[n] accumulates the cotangent of order[n]; `out` is last in the order.
  const grads = new Array<Var | undefined>(order.length);
  grads[order.length - 1] = ct;
  const recording = createGraph && mode.recording;
  // Unrecorded, the pass owns the cotangents its primitives make: dead ones are recycled (recycling.ts).
  const storage = recording ? undefined : new CotangentStorage();
  const pass = () => {
    for (let n = order.length - 1; n >= 0; n--) {
      const g = grads[n];
      if (g === undefined) continue;
      const v = order[n]!;
      if (isTarget(v)) {
        results.set(v, g);
        storage?.pin(g);
        continue;
      }
      grads[n] = undefined; // release intermediate cotangents as soon as they are used
      const node = v.node!;
      const inputs = node.inputs;
      // A customVjp not declared recyclable may keep its cotangent, and makes cotangents we did not.
      if (!node.recyclable) storage?.pin(g);
      const needs = inputs.map((x) => position.has(x)); // inputs that lead to no target need none
      const cts = runVjp(node, g, v, needs);
      for (let i = 0; i < inputs.length; i++) {
        const c = cts[i];
        if (!needs[i] || c == null) continue;
        const x = inputs[i]!;
        const gi = sumToShape(c, x.shape, node.name);
        if (mode.detectAnomaly) checkFinite(gi.value, [g, ...inputs], node.name, 'VJP');
        storage?.stored(gi, node.recyclable, g, v, inputs);
        const j = position.get(x)!;
        const prev = grads[j];
        if (prev === undefined) grads[j] = gi;
        else {
          const sum = prev.add(gi);
          storage?.stored(sum, true);
          storage?.released(prev);
          storage?.released(gi);
          grads[j] = sum;
        }
      }
      storage?.released(g);
    }
  };
  withRecording(recording, () => (storage === undefined ? pass() : withRecycling(pass)));
  return results;
}

/** Runs a node's VJP, remembering whose it is (anomaly messages name it). */
function runVjp(node: Node, ct: Var, out: Var, needs: boolean[]): (Var | null)[] {
  const outer = inVjpOf;
  inVjpOf = node.name;
  try {
    return node.vjp(ct, node.inputs, out, node.params, needs);
  } finally {
    inVjpOf = outer;
  }
}

/**
 * A NaN or infinity in a gradient, when the function's inputs, its output and the cotangent are
 * all finite, was made by some VJP (sqrt at 0, a 0/0...): report it instead of returning it.
 * Cheap: one scan of each value. detectAnomaly finds the primitive that produced it.
 */
export function checkGradientsFinite(
  what: string,
  grads: readonly (Var | undefined)[],
  given: readonly Var[],
): void {
  const bad = grads.findIndex((g) => g !== undefined && hasNonFinite(g.value));
  if (bad < 0 || given.some((v) => hasNonFinite(v.value))) return;
  throw new AnomalyError(
    `${what}: the gradient for argument ${bad} (shape ${fmtShape(grads[bad]!.shape)}) contains NaN or Infinity ` +
      'although the inputs, the output and the cotangent are finite; run it inside detectAnomaly(() => ...) ' +
      'to name the primitive whose VJP produced it',
  );
}
