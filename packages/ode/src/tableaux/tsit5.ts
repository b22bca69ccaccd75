// Tsitouras 5(4): 7 stages, FSAL, with its own free 4th-order interpolant. Derived without the
// row simplifying assumption, it has smaller error coefficients than dopri5 at the same cost.
// Ch. Tsitouras, "Runge-Kutta pairs of order 5(4) satisfying only the first column simplifying
// assumption", Comput. Math. Appl. 62 (2011) 770-775.
//
// The paper gives the coefficients as decimals (they solve nonlinear equations: not rational).
// These are the float64 roundings of the high-precision values used by OrdinaryDiffEq.jl (Tsit5)
// and diffrax; bErr = b - bhat and the expanded interpolant polynomials b_i(theta) likewise.
import { defineTableau } from './tableau.js';

const c4 = 0.9800255409045097;
const b = [
  0.09646076681806523,
  1 / 100,
  0.4798896504144996,
  1.379008574103742,
  -3.290069515436081,
  2.324710524099774,
  0,
];

export const tsit5 = defineTableau({
  name: 'tsit5',
  order: 5,
  errorOrder: 4,
  c: [0, 161 / 1000, 327 / 1000, 9 / 10, c4, 1, 1],
  a: [
    [],
    [161 / 1000],
    [-0.008480655492356989, 0.335480655492357],
    [2.8971530571054935, -6.359448489975075, 4.3622954328695815],
    [5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525],
    [5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383],
    b.slice(0, 6), // FSAL: the last stage is f(t0 + h, y1)
  ],
  b,
  bErr: [
    0.0017800110522257714,
    0.0008164344596567469,
    -0.007880878010261995,
    0.1447110071732629,
    -0.5823571654525552,
    0.45808210592918697,
    -1 / 66,
  ],
  dense: {
    kind: 'polynomial',
    order: 4,
    // b_i(theta) = sum_k coefficients[i][k] theta^k.
    coefficients: [
      [0, 1, -2.763706197274826, 2.9132554618219126, -1.0530884977290216],
      [0, 0, 0.13169999999999998, -0.2234, 0.1017],
      [0, 0, 3.9302962368947516, -5.941033872131505, 2.490627285651253],
      [0, 0, -12.411077166933676, 30.33818863028232, -16.548102889244902],
      [0, 0, 37.50931341651104, -88.1789048947664, 47.37952196281928],
      [0, 0, -27.896526289197286, 65.09189467479366, -34.87065786149661],
      [0, 0, 3 / 2, -4, 5 / 2],
    ],
  },
  source: 'Ch. Tsitouras, Comput. Math. Appl. 62 (2011) 770-775',
});
