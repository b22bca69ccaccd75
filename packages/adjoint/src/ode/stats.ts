/** What a differentiated ODE solve cost, filled in by every gradient strategy. */
export type GradStats = {
  /** Evaluations of f by the forward solve. */
  nfeForward: number;
  /** Evaluations of f by the backward pass (backprop: 0, it runs the recorded VJPs instead). */
  nfeBackward: number;
  /** Accepted and rejected steps of the forward solve. */
  stepsForward: number;
  rejectedForward: number;
  /** Accepted and rejected steps of the adjoint's backward solve. */
  stepsBackward: number;
  rejectedBackward: number;
  /** Checkpointing: steps recomputed (without tape) to regenerate states. */
  stepsRecomputed: number;
  /**
   * The most tensors of y's size held at once: outputs, checkpoints, recomputed segments, the
   * augmented state; for backprop, those on the tape behind the result.
   */
  peakStoredStates: number;
};

export function createGradStats(): GradStats {
  return {
    nfeForward: 0,
    nfeBackward: 0,
    stepsForward: 0,
    rejectedForward: 0,
    stepsBackward: 0,
    rejectedBackward: 0,
    stepsRecomputed: 0,
    peakStoredStates: 0,
  };
}
