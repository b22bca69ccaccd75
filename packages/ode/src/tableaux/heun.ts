// Heun's second-order method (explicit trapezoidal rule): average the slopes at both ends of an
// Euler step. K. Heun, "Neue Methoden zur approximativen Integration der Differentialgleichungen
// einer unabhaengigen Veraenderlichen", Z. Math. Phys. 45 (1900) 23-38.
import { defineTableau } from './tableau.js';

export const heun = defineTableau({
  name: 'heun',
  order: 2,
  c: [0, 1],
  a: [[], [1]],
  b: [1 / 2, 1 / 2],
  source: 'K. Heun, Z. Math. Phys. 45 (1900) 23-38',
});
