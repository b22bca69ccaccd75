/**
 * What dataParallel (data-parallel.ts) and its workers (data-parallel-worker.ts) share: the
 * control words each worker sleeps on, and the layout of a worker's job.
 */
import { sizeOf } from '@resode/tensor';

/** The slots of a worker's control words (an Int32Array on a SharedArrayBuffer). */
export const Slot = {
  /** The state of the worker, one of State. */
  State: 0,
  /** 1 when this step runs under detectAnomaly (set by the main thread with Run). */
  Anomaly: 1,
  Length: 2,
} as const;

/**
 * Values of control[Slot.State], and which thread moves it:
 *
 *   Starting -> Idle            the worker, once it has imported the user's module
 *   Idle -> Run                 the main thread, after it has written the job's arguments
 *   Run -> Done | Failed        the worker, after it has written the value and gradients (or its error)
 *   Done | Failed -> Idle       the main thread, once it has read them
 *   any -> Stop                 the main thread, in close()
 *   any -> Exited               the worker, as it exits (e.g. process.exit in the user's module)
 *
 * Each side sleeps in Atomics.wait until the word leaves the value it waits on.
 */
export const State = { Starting: 0, Idle: 1, Run: 2, Done: 3, Failed: 4, Stop: 5, Exited: 6 } as const;

/** A worker's error on a shard, as it posts it to the main thread. */
export type ShardError = { message: string; stack: string | undefined };

/**
 * A worker's job, posted when it changes (the first step, or new shapes): the shapes of its
 * arguments (its rows of the sharded ones, all of the others) and one shared buffer `io` that
 * holds, in order, the arguments' values, then f's value, then one gradient per argument with
 * the argument's shape.
 */
export type Job = { shapes: number[][]; io: Float64Array };

/** Where each argument starts in a job's `io`, where the value is, and where each gradient starts. */
export type Layout = { sizes: number[]; argAt: number[]; valueAt: number; gradAt: number[]; length: number };

export function layoutOf(shapes: readonly (readonly number[])[]): Layout {
  const sizes = shapes.map(sizeOf);
  const argAt: number[] = [];
  let at = 0;
  for (const n of sizes) {
    argAt.push(at);
    at += n;
  }
  const valueAt = at++;
  const gradAt: number[] = [];
  for (const n of sizes) {
    gradAt.push(at);
    at += n;
  }
  return { sizes, argAt, valueAt, gradAt, length: at };
}
