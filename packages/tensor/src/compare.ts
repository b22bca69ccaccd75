import { abs, sub } from './elementwise.js';
import { broadcastShapes } from './shape.js';
import type { Tensor } from './tensor.js';

export type AllcloseOptions = { rtol?: number; atol?: number; equalNan?: boolean };

/** |a - b| <= atol + rtol |b| everywhere (NumPy's rule; shapes must broadcast). */
export function allclose(a: Tensor, b: Tensor, opts: AllcloseOptions = {}): boolean {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = opts;
  const shape = broadcastShapes(a.shape, b.shape, 'allclose');
  const av = a.broadcastTo(shape).values();
  const bv = b.broadcastTo(shape).values();
  for (let i = 0; i < av.length; i++) {
    const x = av[i]!;
    const y = bv[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (equalNan && Number.isNaN(x) && Number.isNaN(y)) continue;
      return false;
    }
    if (x === y) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return false;
  }
  return true;
}

/** The largest |a - b| (useful in test messages). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  const d = abs(sub(a, b)).values();
  let m = 0;
  for (const v of d) m = Math.max(m, v);
  return m;
}
