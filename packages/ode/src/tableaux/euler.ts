// Forward Euler: y1 = y0 + h f(t0, y0). Order 1.
// L. Euler, Institutionum calculi integralis, vol. 1 (1768), sec. 650. With h = 1/L it is the ResNet
// update h_{k+1} = h_k + (1/L) f(h_k, theta_k) (DESIGN.md, "Neural ODE and the optimal control problem").
import { defineTableau } from './tableau.js';

export const euler = defineTableau({
  name: 'euler',
  order: 1,
  c: [0],
  a: [[]],
  b: [1],
  source: 'L. Euler, Institutionum calculi integralis (1768)',
});
