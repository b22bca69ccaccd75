// Explicit midpoint method (Runge's second-order method): an Euler half step, then the slope there.
// C. Runge, "Ueber die numerische Aufloesung von Differentialgleichungen", Math. Ann. 46 (1895) 167-178.
import { defineTableau } from './tableau.js';

export const midpoint = defineTableau({
  name: 'midpoint',
  order: 2,
  c: [0, 1 / 2],
  a: [[], [1 / 2]],
  b: [0, 1],
  source: 'C. Runge, Math. Ann. 46 (1895) 167-178',
});
