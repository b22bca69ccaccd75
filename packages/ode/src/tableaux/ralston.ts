// Ralston's second-order method: of all 2-stage 2nd-order methods, the one that minimises a bound
// on the leading local error term. A. Ralston, "Runge-Kutta methods with minimum error bounds",
// Math. Comp. 16 (1962) 431-437.
import { defineTableau } from './tableau.js';

export const ralston = defineTableau({
  name: 'ralston',
  order: 2,
  c: [0, 2 / 3],
  a: [[], [2 / 3]],
  b: [1 / 4, 3 / 4],
  source: 'A. Ralston, Math. Comp. 16 (1962) 431-437',
});
