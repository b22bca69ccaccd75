/**
 * Memory of the gradient strategies, measured two ways: the stored states they count, and the live
 * heap (after a full garbage collection) sampled while f is being evaluated, forward and backward.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { createGradStats, type GradientStrategy, odeintGrad } from '@resode/adjoint';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

const W = T.tensor([
  [0, 1],
  [-1, 0],
]);
const field = (_t: number, y: A.Var, [w]: A.Var[]) => A.tanh(A.matmul(y, w!));

/** Peak live heap above the baseline (bytes), over 4 samples per solve, and the counted stored states. */
function measure(gradient: GradientStrategy, steps: number) {
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  let calls = 0;
  // rk4 evaluates f 4 times a step forward, and as often backward: sample 3 times over both passes.
  const every = Math.max(1, Math.floor((8 * steps) / 3));
  const f = (t: number, y: A.Var, ps: A.Var[]) => {
    if (++calls % every === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
    return field(t, y, ps);
  };
  const stats = createGradStats();
  const loss = A.sum(
    odeintGrad(f, T.ones([1, 2]), [0, 1], [A.variable(W)], {
      gradient,
      method: 'rk4',
      stepSize: 1 / steps,
      stats,
    }),
  );
  gc();
  peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  loss.backward();
  return { peak, stored: stats.peakStoredStates };
}

describe('memory', () => {
  it('the continuous adjoint is flat in the number of steps (100, 1000, 10000); backprop grows', () => {
    const adjoint = [100, 1000, 10000].map((n) => measure('adjoint', n));
    // Counted: the 2 outputs, and y and a of the augmented state.
    expect(adjoint.map((m) => m.stored)).toEqual([4, 4, 4]);
    // Heap: well under a megabyte whatever the number of steps (measured ~0.4-0.9 MB with noise).
    for (const m of adjoint) expect(m.peak).toBeLessThan(2e6);
    const backprop = [100, 1000].map((n) => measure('backprop', n));
    // Backprop keeps the tape: 12 state-sized tensors a step (4 stages, 4 stage states and sums).
    expect(backprop[1]!.stored).toBeGreaterThan(9 * backprop[0]!.stored);
    expect(backprop[1]!.stored).toBeGreaterThan(10 * 1000);
    // ... about 10 kB a step here: 1000 steps already hold several times the adjoint's 10000.
    expect(backprop[1]!.peak).toBeGreaterThan(5e6);
    expect(backprop[1]!.peak).toBeGreaterThan(4 * Math.max(...adjoint.map((m) => m.peak)));
  });
});
