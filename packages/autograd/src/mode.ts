/**
 * Global switches of the engine. `recording` is false inside noGrad (and during a first-order
 * backward pass that nobody differentiates): ops then compute values and record nothing.
 */
export const mode = {
  recording: true,
  detectAnomaly: false,
  /** How many grad/vjp transforms are running their function now (for nested differentiation). */
  depth: 0,
};

/**
 * True when ops record the tape now: false inside noGrad and during a backward pass that nobody
 * differentiates. A customVjp whose VJP uses fast non-differentiable kernels can ask this to fall
 * back to differentiable ops when its VJP is itself being differentiated (grad of grad).
 */
export function isRecording(): boolean {
  return mode.recording;
}

/** Runs fn without recording the tape: results are constants to autodiff. */
export function noGrad<T>(fn: () => T): T {
  const before = mode.recording;
  mode.recording = false;
  try {
    return fn();
  } finally {
    mode.recording = before;
  }
}

/** Runs fn with anomaly detection: a non-finite value first produced by a primitive (forward or VJP) throws, naming it. */
export function detectAnomaly<T>(fn: () => T): T {
  const before = mode.detectAnomaly;
  mode.detectAnomaly = true;
  try {
    return fn();
  } finally {
    mode.detectAnomaly = before;
  }
}

export function withRecording<T>(on: boolean, fn: () => T): T {
  const before = mode.recording;
  mode.recording = on;
  try {
    return fn();
  } finally {
    mode.recording = before;
  }
}
