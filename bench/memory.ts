/**
 * Memory figures (run with --expose-gc): the memory held by a recorded tape, i.e. what a backward
 * pass needs: (V8 heap + ArrayBuffer storage) with the graph alive minus the same before it was
 * built, each after a full garbage collection. Tensor data live in ArrayBuffers, outside the V8
 * heap, so `heapUsed` alone would miss them.
 */
import { odeintGrad } from '@resode/adjoint';
import * as A from '@resode/autograd';
import { w1Loss } from './losses.js';
import { mulberry32, portableNormal } from './portable-tensors.js';
import { w3Problem } from './w3.js';

const gc = (globalThis as { gc?: () => void }).gc;

export function canMeasureMemory(): boolean {
  return gc !== undefined;
}

function heapMiB(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

/** Memory (MiB) held by W1's tape (forward recorded, before the backward pass) at depth L. */
export function w1TapeMiB(L: number, d = 16, batch = 128): number {
  const rng = mulberry32(1);
  const h0 = portableNormal(rng, [batch, d]);
  const weights = Array.from({ length: 2 * L }, () => A.variable(portableNormal(rng, [d, d], d ** -0.5)));
  const before = heapMiB();
  let loss: A.Var | undefined = w1Loss(A.constant(h0), ...weights);
  const held = heapMiB();
  if (!loss.requiresGrad) throw new Error('W1 tape was not recorded');
  loss = undefined;
  return held - before;
}

export type W3Memory = { steps: number; adjointMiB: number; backpropMiB: number | undefined };

/**
 * Memory (MiB) held after the forward solve of W3's neural ODE, ready for the backward pass, with
 * fixed-step RK4 of `steps` steps on [0, 1]: the continuous adjoint (odeintAdjoint keeps the
 * outputs only) against backprop through the solver (the tape of every step). A batch of 16
 * instead of W3's 256 keeps backprop's tape within memory at 1000 steps (about 0.1 GB); with
 * `backprop: false` only the adjoint is measured.
 */
export function w3MemoryMiB(steps: number, { batch = 16, backprop = true } = {}): W3Memory {
  const { f, y0, params } = w3Problem(batch);
  const held = (gradient: 'adjoint' | 'backprop', n: number): number => {
    const ps = params.map((p) => A.variable(p));
    const before = heapMiB();
    let ys: A.Var | undefined = odeintGrad(f, y0, [0, 1], ps, { gradient, method: 'rk4', stepSize: 1 / n });
    const after = heapMiB();
    if (!ys.requiresGrad) throw new Error('W3 solve was not recorded');
    ys = undefined;
    return after - before;
  };
  // A first small solve of each kind, so that one-time allocations (compiled code, caches) are not counted.
  held('adjoint', 2);
  held('backprop', 2);
  return {
    steps,
    adjointMiB: held('adjoint', steps),
    backpropMiB: backprop ? held('backprop', steps) : undefined,
  };
}
