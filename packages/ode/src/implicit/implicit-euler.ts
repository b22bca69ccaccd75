// Backward (implicit) Euler: y1 = y0 + h f(t0 + h, y1). Order 1, L-stable: the simplest method for
// stiff problems. Fixed-step (no error estimate): pass stepSize.
// Hairer & Wanner, Solving Ordinary Differential Equations II (1996), IV.3.
import { defineDirkTableau } from './dirk-tableau.js';

export const implicitEuler = defineDirkTableau({
  name: 'implicit-euler',
  order: 1,
  c: [1],
  a: [[1]],
  b: [1],
  source: 'Hairer & Wanner, Solving ODEs II (1996), IV.3',
});
