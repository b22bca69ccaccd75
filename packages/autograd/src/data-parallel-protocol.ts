/**
 * What dataParallel (data-parallel.ts) and its workers (data-parallel-worker.ts) share: the states
 * of the control word each worker sleeps on, and the layout of a worker's job.
 */

/** Values of the control word (an Int32Array of length 1 on a SharedArrayBuffer). */
export const State = { Starting: 0, Idle: 1, Run: 2, Done: 3, Failed: 4, Stop: 5 } as const;

/**
 * A worker's job, posted when it changes (the first step, or new shapes): the shapes of its
 * arguments (its rows of the sharded ones, all of the others) and one shared buffer `io` that
 * holds, in order, the arguments' values, then f's value, then one gradient per argument with
 * the argument's shape.
 */
export type Job = { shapes: number[][]; io: Float64Array };

/** Where each argument starts in `io`, where the value is, and where each gradient starts. */
export function layoutOf(shapes: readonly (readonly number[])[]): {
  argAt: number[];
  valueAt: number;
  gradAt: number[];
  length: number;
} {
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
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
  return { argAt, valueAt, gradAt, length: at };
}
