/**
 * The primitives: for each one, its forward (on Tensors) and its VJP (on Vars) side by side.
 * The table's type lists every primitive, so a primitive without a rule does not compile.
 *
 * A VJP receives the cotangent `ct` of the output and returns one cotangent per input, in the
 * OUTPUT's shape for elementwise ops: the engine sums broadcast dims away (engine.ts). The rules
 * are written with differentiable ops, so the backward pass can itself be differentiated.
 */

import type { Tensor } from '@resode/tensor';
import * as T from '@resode/tensor';
import * as op from './ops.js';
import type { Var } from './var.js';

export type Range = readonly [number, number?, number?] | null;

/** The parameters of each primitive (beyond its tensor inputs). */
export type Params = {
  identity: undefined;
  add: undefined;
  sub: undefined;
  mul: undefined;
  div: undefined;
  neg: undefined;
  pow: undefined;
  exp: undefined;
  log: undefined;
  sqrt: undefined;
  abs: undefined;
  sin: undefined;
  cos: undefined;
  tanh: undefined;
  tanhGrad: undefined;
  relu: undefined;
  sigmoid: undefined;
  softplus: undefined;
  matmul: undefined;
  linear: undefined;
  permute: { axes: number[]; inverse: number[] };
  reshape: { shape: readonly number[] };
  broadcastTo: { shape: readonly number[] };
  sum: { axes: number[]; keepdims: boolean };
  max: { axes: number[]; keepdims: boolean };
  concat: { axis: number };
  slice: { ranges: Range[] };
  /** The transpose of slice: `x` placed at `ranges` in zeros of `shape`. */
  padSlice: { ranges: Range[]; shape: readonly number[] };
  gather: { indices: number[]; axis: number };
  /** The transpose of gather. */
  scatterAdd: { indices: number[]; axis: number; shape: readonly number[] };
  where: undefined;
};
export type PrimitiveName = keyof Params;

export type Rule<P> = {
  forward(inputs: Tensor[], params: P): Tensor;
  vjp(ct: Var, inputs: Var[], out: Var, params: P, needs: boolean[]): (Var | null)[];
};

/** The shape of `shape` with the given axes set to 1 (to re-insert reduced dims). */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

export const rules: { [K in PrimitiveName]: Rule<Params[K]> } = {
  identity: { forward: ([x]) => x!, vjp: (g) => [g] },
  add: { forward: ([x, y]) => T.add(x!, y!), vjp: (g) => [g, g] },
  sub: {
    forward: ([x, y]) => T.sub(x!, y!),
    vjp: (g, _, __, ___, needs) => [g, needs[1] ? op.neg(g) : null],
  },
  mul: {
    forward: ([x, y]) => T.mul(x!, y!),
    vjp: (g, [x, y], _, __, needs) => [needs[0] ? op.mul(g, y!) : null, needs[1] ? op.mul(g, x!) : null],
  },
  div: {
    forward: ([x, y]) => T.div(x!, y!),
    // d(x/y) = dx / y - (x/y) dy / y
    vjp: (g, [, y], out, _, needs) => {
      const gx = op.div(g, y!);
      return [gx, needs[1] ? op.neg(op.mul(gx, out)) : null];
    },
  },
  neg: { forward: ([x]) => T.neg(x!), vjp: (g) => [op.neg(g)] },
  pow: {
    forward: ([x, y]) => T.pow(x!, y!),
    // d(x^y) = y x^(y-1) dx + x^y log(x) dy; log(x) is taken as 0 at x = 0 (where x^y is flat in y for y > 0).
    vjp: (g, [x, y], out, _, needs) => [
      needs[0] ? op.mul(g, op.mul(y!, op.pow(x!, op.sub(y!, 1)))) : null,
      needs[1] ? op.mul(g, op.mul(out, op.log(op.where(T.equal(x!.value, 0), 1, x!)))) : null,
    ],
  },
  exp: { forward: ([x]) => T.exp(x!), vjp: (g, _, out) => [op.mul(g, out)] },
  log: { forward: ([x]) => T.log(x!), vjp: (g, [x]) => [op.div(g, x!)] },
  sqrt: { forward: ([x]) => T.sqrt(x!), vjp: (g, _, out) => [op.div(g, op.mul(out, 2))] },
  abs: { forward: ([x]) => T.abs(x!), vjp: (g, [x]) => [op.mul(g, T.sign(x!.value))] },
  sin: { forward: ([x]) => T.sin(x!), vjp: (g, [x]) => [op.mul(g, op.cos(x!))] },
  cos: { forward: ([x]) => T.cos(x!), vjp: (g, [x]) => [op.neg(op.mul(g, op.sin(x!)))] },
  tanh: { forward: ([x]) => T.tanh(x!), vjp: (g, _, out) => [op.tanhGrad(g, out)] },
  // tanh's VJP g (1 - y^2) as one primitive (one pass, one node, instead of square, sub and mul);
  // it is linear in g, and d/dy = -2 g y.
  tanhGrad: {
    forward: ([g, y]) => T.tanhGrad(g!, y!),
    vjp: (c, [g, y], _, __, needs) => [
      needs[0] ? op.tanhGrad(c, y!) : null,
      needs[1] ? op.mul(op.mul(c, g!), op.mul(y!, -2)) : null,
    ],
  },
  // relu'(x) is the step function, whose own derivative is 0: a constant mask.
  relu: { forward: ([x]) => T.relu(x!), vjp: (g, [x]) => [op.mul(g, T.step(x!.value))] },
  sigmoid: {
    forward: ([x]) => T.sigmoid(x!),
    vjp: (g, _, out) => [op.mul(g, op.mul(out, op.sub(1, out)))],
  },
  softplus: { forward: ([x]) => T.softplus(x!), vjp: (g, [x]) => [op.mul(g, op.sigmoid(x!))] },
  matmul: {
    // Batched: x [..., m, k] @ y [..., k, n]; the engine sums over broadcast batch dims.
    forward: ([x, y]) => T.matmul(x!, y!),
    vjp: (g, [x, y], _, __, needs) => [
      needs[0] ? op.matmul(g, op.transpose(y!)) : null,
      needs[1] ? op.matmul(op.transpose(x!), g) : null,
    ],
  },
  linear: {
    // y = x W^T + b with x [..., in], W [out, in], b [out]. With the rows of x flattened into X
    // [rows, in] and G the cotangent as [rows, out]: dx = G W, dW = G^T X, db = sum of G's rows.
    forward: ([x, w, b]) => T.linear(x!, w!, b),
    vjp: (g, [x, w, b], _, __, needs) => {
      const [out, inp] = w!.shape as [number, number];
      const rows = T.sizeOf(x!.shape.slice(0, -1));
      const rowsOfG = op.reshape(g, [rows, out]);
      const gx = needs[0] ? op.matmul(g, w!) : null;
      const gw = needs[1] ? op.matmul(op.transpose(rowsOfG), op.reshape(x!, [rows, inp])) : null;
      if (b === undefined) return [gx, gw];
      return [gx, gw, needs[2] ? op.sum(rowsOfG, 0) : null];
    },
  },
  permute: {
    forward: ([x], p) => x!.permute(p.axes),
    vjp: (g, _, __, p) => [op.permute(g, p.inverse)],
  },
  reshape: {
    forward: ([x], p) => x!.reshape(p.shape),
    vjp: (g, [x]) => [op.reshape(g, x!.shape)],
  },
  broadcastTo: {
    forward: ([x], p) => x!.broadcastTo(p.shape),
    vjp: (g, [x]) => [op.sumToShape(g, x!.shape, 'broadcastTo')],
  },
  sum: {
    forward: ([x], p) => T.sum(x!, p.axes, { keepdims: p.keepdims }),
    vjp: (g, [x], _, p) => [op.broadcastTo(op.reshape(g, keptShape(x!.shape, p.axes)), x!.shape)],
  },
  max: {
    forward: ([x], p) => T.max(x!, p.axes, { keepdims: p.keepdims }),
    // The cotangent goes to the maximal entries, split evenly between ties.
    vjp: (g, [x], out, p) => {
      const kept = keptShape(x!.shape, p.axes);
      const mask = T.equal(x!.value, out.value.reshape(kept));
      const share = T.div(mask, T.sum(mask, p.axes, { keepdims: true }));
      return [op.mul(op.broadcastTo(op.reshape(g, kept), x!.shape), share)];
    },
  },
  concat: {
    forward: (xs, p) => T.concat(xs, p.axis),
    vjp: (g, xs, _, p) => {
      let start = 0;
      return xs.map((x) => {
        const ranges: Range[] = x.shape.map(() => null);
        ranges[p.axis] = [start, start + x.shape[p.axis]!];
        start += x.shape[p.axis]!;
        return op.slice(g, ranges);
      });
    },
  },
  slice: {
    forward: ([x], p) => x!.slice(p.ranges),
    vjp: (g, [x], _, p) => [op.padSlice(g, p.ranges, x!.shape)],
  },
  padSlice: {
    forward: ([x], p) => {
      const out = T.zeros(p.shape);
      writeThroughView(out.slice(p.ranges), x!.values());
      return out;
    },
    vjp: (g, _, __, p) => [op.slice(g, p.ranges)],
  },
  gather: {
    forward: ([x], p) => T.gather(x!, p.indices, p.axis),
    vjp: (g, [x], _, p) => [op.scatterAdd(g, p.indices, p.axis, x!.shape)],
  },
  scatterAdd: {
    forward: ([x], p) => T.scatterAdd(x!, p.indices, p.axis, p.shape),
    vjp: (g, _, __, p) => [op.gather(g, p.indices, p.axis)],
  },
  where: {
    // inputs: [cond (a constant), x, y]
    forward: ([c, x, y]) => T.where(c!, x!, y!),
    vjp: (g, [c], _, __, needs) => [
      null,
      needs[1] ? op.where(c!.value, g, 0) : null,
      needs[2] ? op.where(c!.value, 0, g) : null,
    ],
  },
};

/** Copies `src` (row-major) into the elements of a strided view, in place. */
function writeThroughView(view: Tensor, src: Float64Array): void {
  const { shape, strides, offset, data } = view;
  const idx = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < src.length; n++) {
    let p = offset;
    for (let d = 0; d < shape.length; d++) p += idx[d]! * strides[d]!;
    data[p] = src[n]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}
