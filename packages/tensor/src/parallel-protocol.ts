/** The shared control words between matmulParallel and its worker (an Int32Array on a SharedArrayBuffer). */
export const Slot = { State: 0, M: 1, K: 2, N: 3, Length: 4 } as const;

/** Values of control[Slot.State]. */
export const State = { Starting: 0, Idle: 1, Run: 2, Done: 3, Failed: 4, Stop: 5 } as const;

/** The worker's share of a job: its rows of A (m x k), all of B (k x n), its rows of C (m x n). */
export type JobBuffers = { a: Float64Array; b: Float64Array; c: Float64Array };
