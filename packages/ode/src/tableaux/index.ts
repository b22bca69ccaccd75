// Butcher tableaux of explicit Runge-Kutta methods: validated plain data (see tableau.ts).
import { bosh3 } from './bosh3.js';
import { dopri5 } from './dopri5.js';
import { dopri8 } from './dopri8.js';
import { euler } from './euler.js';
import { heun } from './heun.js';
import { heunEuler } from './heun-euler.js';
import { midpoint } from './midpoint.js';
import { ralston } from './ralston.js';
import { rk4 } from './rk4.js';
import type { ButcherTableau } from './tableau.js';
import { tsit5 } from './tsit5.js';

export {
  type ButcherTableau,
  type DenseOutput,
  defineTableau,
  denseWeights,
  embeddedWeights,
  orderConditionsResidual,
  type PolynomialDense,
  rootedTrees,
  TABLEAU_TOL,
  TableauError,
  type TableauSpec,
  type Tree,
} from './tableau.js';
export { bosh3, dopri5, dopri8, euler, heun, heunEuler, midpoint, ralston, rk4, tsit5 };

export const TABLEAUX = {
  euler,
  midpoint,
  heun,
  ralston,
  rk4,
  'heun-euler': heunEuler,
  bosh3,
  dopri5,
  tsit5,
  dopri8,
} as const satisfies Record<string, ButcherTableau>;

export type TableauName = keyof typeof TABLEAUX;
