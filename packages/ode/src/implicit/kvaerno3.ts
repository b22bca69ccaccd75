// Kvaerno 3(2): an ESDIRK method (explicit first stage, then 3 implicit stages with the same
// diagonal gamma), stiffly accurate and L-stable, with an embedded 2nd-order solution (the stage at
// c = 1 before the last, also L-stable) for step-size control. diffrax's Kvaerno3.
// A. Kvaerno, "Singly diagonally implicit Runge-Kutta methods with an explicit first stage",
// BIT Numerical Mathematics 44 (2004) 489-502.
//
// gamma is the root near 0.4359 of gamma^3 - 3 gamma^2 + 3/2 gamma - 1/6 = 0 (the value that makes
// the 3rd-order method L-stable, as in Alexander's SDIRK3); the other coefficients are the paper's
// formulas in gamma.
import { defineDirkTableau } from './dirk-tableau.js';

function lStableGamma(): number {
  let g = 0.4358665215;
  for (let i = 0; i < 5; i++) g -= (((g - 3) * g + 1.5) * g - 1 / 6) / ((3 * g - 6) * g + 1.5);
  return g;
}

const g = lStableGamma();
const a31 = (-4 * g * g + 6 * g - 1) / (4 * g);
const a32 = (-2 * g + 1) / (4 * g);
const a41 = (6 * g - 1) / (12 * g);
const a42 = -1 / ((24 * g - 12) * g);
const a43 = (-6 * g * g + 6 * g - 1) / (6 * g - 3);

export const kvaerno3 = defineDirkTableau({
  name: 'kvaerno3',
  order: 3,
  errorOrder: 2,
  c: [0, 2 * g, 1, 1],
  a: [[0], [g, g], [a31, a32, g], [a41, a42, a43, g]],
  b: [a41, a42, a43, g],
  // b - bhat with bhat = [a31, a32, gamma, 0]: the embedded solution is the third stage state.
  bErr: [a41 - a31, a42 - a32, a43 - g, g],
  source: 'A. Kvaerno, BIT 44 (2004) 489-502',
});
