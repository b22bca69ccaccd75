// Bogacki-Shampine 3(2): 4 stages, FSAL (3 new evaluations per step), scipy's RK23 / MATLAB's ode23.
// P. Bogacki, L. F. Shampine, "A 3(2) pair of Runge-Kutta formulas", Appl. Math. Lett. 2 (1989)
// 321-325. The free interpolant is the cubic Hermite one through y0, y1, f0, f1 (f1 is the FSAL stage).
import { defineTableau } from './tableau.js';

export const bosh3 = defineTableau({
  name: 'bosh3',
  order: 3,
  errorOrder: 2,
  c: [0, 1 / 2, 3 / 4, 1],
  a: [[], [1 / 2], [0, 3 / 4], [2 / 9, 1 / 3, 4 / 9]],
  b: [2 / 9, 1 / 3, 4 / 9, 0],
  // b - bhat with bhat = [7/24, 1/4, 1/3, 1/8].
  bErr: [-5 / 72, 1 / 12, 1 / 9, -1 / 8],
  dense: { kind: 'hermite' },
  source: 'P. Bogacki, L. F. Shampine, Appl. Math. Lett. 2 (1989) 321-325',
});
