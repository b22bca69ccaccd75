/** The SDE schemes by name, with the calculus they solve and their strong order per noise type. */
import { eulerHeunStep } from './euler-heun.js';
import { eulerMaruyamaStep } from './euler-maruyama.js';
import { milsteinStep } from './milstein.js';
import type { SdeStep } from './step.js';
import type { NoiseType } from './system.js';

export type SdeMethodInfo = {
  step: SdeStep;
  /** Which integral the scheme's limit is: Ito (left point) or Stratonovich (midpoint). */
  calculus: 'ito' | 'stratonovich';
  /** Strong order for each noise type the scheme accepts. */
  strongOrder: Partial<Record<NoiseType, number>>;
};

export const SDE_METHODS = {
  'euler-maruyama': {
    step: eulerMaruyamaStep,
    calculus: 'ito',
    strongOrder: { diagonal: 0.5, general: 0.5 },
  },
  milstein: { step: milsteinStep, calculus: 'ito', strongOrder: { diagonal: 1 } },
  'euler-heun': { step: eulerHeunStep, calculus: 'stratonovich', strongOrder: { diagonal: 1, general: 0.5 } },
} as const satisfies Record<string, SdeMethodInfo>;

export type SdeMethod = keyof typeof SDE_METHODS;
