/**
 * Methods by name: every explicit tableau through the generic explicit stepper, and the implicit
 * (DIRK) methods through the generic implicit one.
 */

import { OdeOptionsError } from './errors.js';
import { explicitRk } from './explicit.js';
import { dirk } from './implicit/dirk.js';
import { implicitEuler } from './implicit/implicit-euler.js';
import { kvaerno3 } from './implicit/kvaerno3.js';
import type { Stepper } from './stepper.js';
import { TABLEAUX, type TableauName } from './tableaux/index.js';

export type ImplicitMethodName = 'implicit-euler' | 'kvaerno3';
export type MethodName = TableauName | ImplicitMethodName;

const explicitSteppers = Object.fromEntries(
  Object.entries(TABLEAUX).map(([name, t]) => [name, explicitRk(t)]),
) as Record<TableauName, Stepper>;

export const METHODS: Readonly<Record<MethodName, Stepper>> = Object.freeze({
  ...explicitSteppers,
  'implicit-euler': dirk(implicitEuler),
  kvaerno3: dirk(kvaerno3),
});

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** The stepper of a method name; throws OdeOptionsError listing the known names. */
export function getMethod(name: string): Stepper {
  if (!Object.hasOwn(METHODS, name)) {
    throw new OdeOptionsError(`unknown method '${name}'; known methods: ${METHOD_NAMES.join(', ')}`);
  }
  return METHODS[name as MethodName];
}

/** True when the method carries an error estimate (so it can choose its own steps). */
export const isAdaptive = (stepper: Stepper): boolean => stepper.errorOrder !== undefined;
