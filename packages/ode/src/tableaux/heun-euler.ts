// Heun-Euler 2(1): Heun's method with forward Euler embedded (bhat = [1, 0]) for an error estimate.
// The simplest adaptive pair; torchdiffeq's 'adaptive_heun'. Heun (1900), Euler (1768); see
// E. Hairer, S. P. Norsett, G. Wanner, Solving Ordinary Differential Equations I (1993), II.4.
import { defineTableau } from './tableau.js';

export const heunEuler = defineTableau({
  name: 'heun-euler',
  order: 2,
  errorOrder: 1,
  c: [0, 1],
  a: [[], [1]],
  b: [1 / 2, 1 / 2],
  bErr: [-1 / 2, 1 / 2], // b - bhat with bhat = [1, 0]
  source: 'K. Heun, Z. Math. Phys. 45 (1900) 23-38, with Euler embedded',
});
