import { fmtShape, type Tensor } from '@resode/tensor';
import { AnomalyError, AutogradError } from './errors.js';
import { mode, withRecording } from './mode.js';
import { sumToShape } from './ops.js';
import { type Params, type PrimitiveName, rules } from './rules.js';
import { Var } from './var.js';

/** One recorded primitive application: what the backward pass needs to run its VJP. */
export type Node = {
  name: string;
  inputs: Var[];
  params: unknown;
  vjp: (ct: Var, inputs: Var[], out: Var, params: unknown, needs: boolean[]) => (Var | null)[];
};

/**
 * Runs a primitive forward and, when any input requires grad (and we are recording), records the
 * node that links the output to its inputs. This is the whole "tape": a DAG of Vars.
 */
export function apply<K extends PrimitiveName>(name: K, inputs: Var[], params: Params[K]): Var {
  const rule = rules[name];
  for (const x of inputs) x.assertLive(name);
  const value = rule.forward(
    inputs.map((x) => x.value),
    params as never,
  );
  if (mode.detectAnomaly) checkFinite(value, inputs, name, 'forward');
  if (!mode.recording || !inputs.some((x) => x.requiresGrad)) return new Var(value);
  return new Var(value, true, { name, inputs, params, vjp: rule.vjp as Node['vjp'] });
}

/** Records a node with a VJP that is not in the table (customVjp). */
export function applyCustom(name: string, value: Tensor, inputs: Var[], vjp: Node['vjp']): Var {
  if (!mode.recording || !inputs.some((x) => x.requiresGrad)) return new Var(value);
  return new Var(value, true, { name, inputs, params: undefined, vjp });
}

function hasNonFinite(t: Tensor): boolean {
  for (const v of t.values()) if (!Number.isFinite(v)) return true;
  return false;
}

function checkFinite(value: Tensor, inputs: Var[], name: string, pass: string): void {
  if (hasNonFinite(value) && !inputs.some((x) => hasNonFinite(x.value))) {
    const shapes = inputs.map((x) => fmtShape(x.shape)).join(', ');
    throw new AnomalyError(
      `${pass} of '${name}' produced a non-finite value from finite inputs of shapes ${shapes}`,
    );
  }
}

/**
 * Nodes between `out` and the targets, inputs before outputs (an iterative post-order DFS, so
 * that graphs thousands of layers deep do not overflow the stack). A Var is kept only if some
 * target is reachable from it; the walk stops at targets.
 */
function topologicalOrder(out: Var, isTarget: (v: Var) => boolean): Var[] {
  const reaches = new Map<Var, boolean>();
  const order: Var[] = [];
  const stack: [Var, number][] = [[out, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [v, i] = top;
    const inputs = !isTarget(v) && v.node ? v.node.inputs : [];
    if (i < inputs.length) {
      top[1]++;
      const x = inputs[i]!;
      if (!reaches.has(x) && x.requiresGrad) stack.push([x, 0]);
      continue;
    }
    stack.pop();
    if (reaches.has(v)) continue;
    const r = isTarget(v) || inputs.some((x) => reaches.get(x) === true);
    reaches.set(v, r);
    if (r) order.push(v);
  }
  return order;
}

/**
 * The backward pass: seed `out` with the cotangent `ct`, then walk the nodes from the output back
 * to the inputs, each node passing its cotangent through its VJP rule to its inputs and summing
 * where a value was used more than once. Broadcasting is undone here, once, for every rule.
 * With `createGraph`, the ops of this pass are themselves recorded (for higher derivatives).
 * Returns the cotangent of every target (a zero-free null when it does not depend on it).
 */
export function backwardPass(
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
  const order = topologicalOrder(out, isTarget);
  const grads = new Map<Var, Var>([[out, ct]]);
  const results = new Map<Var, Var>();
  withRecording(createGraph && mode.recording, () => {
    for (let n = order.length - 1; n >= 0; n--) {
      const v = order[n]!;
      const g = grads.get(v);
      if (g === undefined) continue;
      if (isTarget(v)) {
        results.set(v, g);
        continue;
      }
      grads.delete(v); // release intermediate cotangents as soon as they are used
      const node = v.node!;
      const needs = node.inputs.map((x) => x.requiresGrad);
      const cts = node.vjp(g, node.inputs, v, node.params, needs);
      node.inputs.forEach((x, i) => {
        const c = cts[i];
        if (!needs[i] || c == null) return;
        const gi = sumToShape(c, x.shape, node.name);
        if (mode.detectAnomaly) checkFinite(gi.value, [g, ...node.inputs], node.name, 'VJP');
        const prev = grads.get(x);
        grads.set(x, prev === undefined ? gi : prev.add(gi));
      });
    }
  });
  return results;
}
