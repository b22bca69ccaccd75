/**
 * Memory figures (run with --expose-gc): the memory held by a recorded tape, i.e. what a backward
 * pass needs: (V8 heap + ArrayBuffer storage) with the graph alive minus the same before it was
 * built, each after a full garbage collection. Tensor data live in ArrayBuffers, outside the V8
 * heap, so `heapUsed` alone would miss them.
 */
import * as A from '@resode/autograd';
import { mulberry32, portableNormal, w1Loss } from './w1.js';

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
  let loss: A.Var | undefined = w1Loss(h0, L)(...weights);
  const held = heapMiB();
  if (!loss.requiresGrad) throw new Error('W1 tape was not recorded');
  loss = undefined;
  return held - before;
}
