// The classic fourth-order Runge-Kutta method: W. Kutta, "Beitrag zur naeherungsweisen Integration
// totaler Differentialgleichungen", Z. Math. Phys. 46 (1901) 435-453.
//
// This is deliberately the classic "RK4" (weights 1/6, 1/3, 1/3, 1/6), the method that the name
// means in textbooks and papers: each stage uses only the previous one, so a reader can check a
// step by hand. Kutta's 3/8 rule (c = 0, 1/3, 2/3, 1; b = 1/8, 3/8, 3/8, 1/8) is also 4th order
// with a slightly smaller error constant; torchdiffeq's method='rk4' is the 3/8 rule, so results
// compared with torchdiffeq's 'rk4' agree only to O(h^4), not to rounding.
import { defineTableau } from './tableau.js';

export const rk4 = defineTableau({
  name: 'rk4',
  order: 4,
  c: [0, 1 / 2, 1 / 2, 1],
  a: [[], [1 / 2], [0, 1 / 2], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  source: 'W. Kutta, Z. Math. Phys. 46 (1901) 435-453',
});
