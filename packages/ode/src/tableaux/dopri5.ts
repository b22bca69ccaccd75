// Dormand-Prince 5(4): 7 stages, FSAL (6 new evaluations per step), local extrapolation (the 5th-order
// solution is propagated). The default of torchdiffeq, MATLAB's ode45, scipy's RK45.
// J. R. Dormand, P. J. Prince, "A family of embedded Runge-Kutta formulae", J. Comput. Appl. Math.
// 6 (1980) 19-26.
//
// Dense output: Shampine's free 4th-order continuous extension, L. F. Shampine, "Some practical
// Runge-Kutta formulas", Math. Comp. 46 (1986) 135-150, as in Hairer's DOPRI5 (E. Hairer,
// S. P. Norsett, G. Wanner, Solving ODEs I, II.6) and torchdiffeq (its quartic through y0, y1, f0,
// f1 and y(1/2) is the same polynomial). Written out: b_i(theta) = sum_k coefficients[i][k] theta^k.
import { defineTableau } from './tableau.js';

export const dopri5 = defineTableau({
  name: 'dopri5',
  order: 5,
  errorOrder: 4,
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
  a: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
  ],
  b: [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
  // b - bhat with bhat = [5179/57600, 0, 7571/16695, 393/640, -92097/339200, 187/2100, 1/40].
  bErr: [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40],
  dense: {
    kind: 'polynomial',
    order: 4,
    coefficients: [
      [0, 1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
      [0, 0, 0, 0, 0],
      [0, 0, 131558114200 / 32700410799, -68118460800 / 10900136933, 87487479700 / 32700410799],
      [0, 0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
      [0, 0, 127303824393 / 49829197408, -318862633887 / 49829197408, 701980252875 / 199316789632],
      [0, 0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
      [0, 0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
    ],
  },
  source:
    'J. R. Dormand, P. J. Prince, J. Comput. Appl. Math. 6 (1980) 19-26; dense output: L. F. Shampine, Math. Comp. 46 (1986) 135-150',
});
