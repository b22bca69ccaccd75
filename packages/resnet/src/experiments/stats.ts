/** Small statistics used by the experiments: quantiles and log-log slope fits. */

/** The q-quantile (0 <= q <= 1) with linear interpolation between order statistics (NumPy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile: no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination of the fit. */
  r2: number;
}

/** Least-squares line y = slope * x + intercept. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  if (xs.length !== ys.length) throw new RangeError(`fitLine: ${xs.length} xs but ${ys.length} ys`);
  if (xs.length < 2) throw new RangeError(`fitLine: needs at least 2 points, got ${xs.length}`);
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) throw new RangeError('fitLine: all xs are equal');
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

/**
 * The exponent p of y ~ C x^p: the slope of log y against log x. Points with a non-positive or
 * non-finite coordinate are rejected with an error rather than dropped silently.
 */
export function fitPowerLaw(xs: readonly number[], ys: readonly number[]): LineFit {
  xs.forEach((x, i) => {
    const y = ys[i];
    if (!(x > 0 && y > 0 && Number.isFinite(x) && Number.isFinite(y))) {
      throw new RangeError(`fitPowerLaw: point ${i} is (${x}, ${y}); both must be positive and finite`);
    }
  });
  return fitLine(xs.map(Math.log), ys.map(Math.log));
}

/** n numbers spaced evenly on a log scale from a to b, rounded to integers and deduplicated. */
export function geomInts(a: number, b: number, n: number): number[] {
  const out = new Set<number>();
  for (let i = 0; i < n; i++) out.add(Math.round(a * (b / a) ** (n === 1 ? 0 : i / (n - 1))));
  return [...out];
}
