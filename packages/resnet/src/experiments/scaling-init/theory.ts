/**
 * What the theory predicts for the scaling-init figures.
 *
 * Marion et al. (2022), Corollary 4: at beta = 1/2, with probability at least 1 - delta,
 *   exp(3/8 - sqrt(22 / (d delta))) - 1 < ratio^2 < exp(1 + sqrt(10 / (d delta))) + 1.
 * The lower bound is vacuous (negative) unless d delta > 22 / (3/8)^2 ~ 156.
 */
export function corollary4Bounds(d: number, delta: number): { lower: number | null; upper: number } {
  const lower2 = Math.exp(3 / 8 - Math.sqrt(22 / (d * delta))) - 1;
  const upper2 = Math.exp(1 + Math.sqrt(10 / (d * delta))) + 1;
  return { lower: lower2 > 0 ? Math.sqrt(lower2) : null, upper: Math.sqrt(upper2) };
}

/**
 * Power of L in the relative change for beta above the critical value: the residual branches add
 * up like a sum of L independent terms of size L^(-beta) for i.i.d. weights (L^(1/2 - beta)) and
 * like a Riemann sum for smooth weights (L^(1 - beta)).
 */
export function decaySlope(init: 'iid' | 'smooth', beta: number): number {
  return (init === 'iid' ? 0.5 : 1) - beta;
}

/** The critical beta: 1/2 for i.i.d. weights, 1 for smooth ones, about max(1/2, H) for fractional noise. */
export function criticalBeta(init: 'iid' | 'smooth' | 'fgn', hurst = 0.5): number {
  if (init === 'iid') return 0.5;
  if (init === 'smooth') return 1;
  return Math.max(0.5, hurst);
}
