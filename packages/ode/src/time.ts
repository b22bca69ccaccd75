/**
 * Floating-point care with step end points. A step of size h = stop - t from t need not land on
 * stop (t + (stop - t) can round away from it), and the stages at c = 1 are evaluated at t + h:
 * `stepTo` picks h so that t + h is exactly stop. At a jump time the step ends one float short of
 * the jump (`justBefore`), so that no stage of the step before the jump sees f after it
 * (diffrax does the same with prevbefore / nextafter).
 */

const buffer = new Float64Array(1);
const bits = new BigInt64Array(buffer.buffer);

/** The adjacent float to x in the direction of sign(direction). */
export function nextFloat(x: number, direction: number): number {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return direction > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  buffer[0] = x;
  bits[0]! += x > 0 === direction > 0 ? 1n : -1n;
  return buffer[0]!;
}

/** The float just before `t` when travelling in `direction` (+1 forwards, -1 backwards). */
export const justBefore = (t: number, direction: number): number => nextFloat(t, -direction);

/** A step size h with t + h === stop (in floating point) whenever such an h exists nearby. */
export function stepTo(t: number, stop: number): number {
  let h = stop - t;
  for (let i = 0; i < 4 && t + h !== stop; i++) h += stop - (t + h);
  return h;
}
