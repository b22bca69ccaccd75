/** SDE solvers and Brownian motion (see docs/sde.md). */
export { type BrownianMotion, VirtualBrownianTree, type VirtualBrownianTreeOptions } from './brownian.js';
export { SdeError } from './errors.js';
export { SDE_METHODS, type SdeMethod, type SdeMethodInfo } from './methods.js';
export { type SdeintOptions, sdeint } from './sdeint.js';
export type { SdeStep } from './step.js';
export { type Diffusion, type Drift, type NoiseType, SdeSystem } from './system.js';
