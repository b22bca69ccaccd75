import type { Var } from '@resode/autograd';
import type { Tensor } from '@resode/tensor';
import type { SdeSystem } from './system.js';

/** One step of a scheme from (t0, y0) to t1, driven by the Brownian increment dW = W(t1) - W(t0). */
export type SdeStep = (sys: SdeSystem, t0: number, t1: number, y0: Var, dW: Tensor) => Var;
