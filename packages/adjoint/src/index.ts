/**
 * @resode/adjoint: adjoint sensitivities of ODE solutions and training read as optimal control
 * (Pontryagin's maximum principle, the method of successive approximations, SGD over controls in
 * function space), with the optimisers they use. This file is the whole public surface.
 */
export { AdjointError, AdjointSolveError, ClosureError, OptimizeError } from './errors.js';
export { flatten, unflatten } from './flat.js';
export {
  type ContinuousControlProblem,
  discretize,
  type FunctionSpaceSgdOptions,
  type FunctionSpaceSgdResult,
  functionSpaceSgd,
  l2Gradient,
  piecewiseConstant,
} from './function-space-sgd.js';
export { type HamiltonianMaximizer, type MsaOptions, type MsaResult, msa } from './msa.js';
export { AugmentedState, augmentedField, fieldVjp, type ParamField } from './ode/augmented.js';
export {
  binomial,
  type CheckpointOptions,
  type CheckpointSchedule,
  checkpointBackward,
  odeintCheckpointed,
  repetitions,
} from './ode/checkpoint.js';
export { assertNoClosedOverVars, foreignLeaves } from './ode/closure.js';
export {
  type AdjointOptions,
  type BackwardResult,
  backwardSolve,
  forwardSolve,
  odeintAdjoint,
} from './ode/odeint-adjoint.js';
export {
  type GradientStrategy,
  type OdeintGradOptions,
  odeintGrad,
  tapeStates,
} from './ode/odeint-grad.js';
export { createGradStats, type GradStats } from './ode/stats.js';
export { type GridStep, recordingStepper, type StepGrid } from './ode/step-grid.js';
export {
  type GradientDescentOptions,
  type LbfgsOptions,
  type MinimizeOptions,
  minimizeGradientDescent,
  minimizeLbfgs,
  twoLoop,
  type VectorMinimizeResult,
} from './optim/lbfgs.js';
export {
  backtrackingArmijo,
  type LineSearchOptions,
  type LineSearchResult,
  strongWolfe,
  type VectorObjective,
} from './optim/line-search.js';
export { gradientDescent, lbfgs, type MinimizeResult, vectorObjective } from './optim/minimize.js';
export { type ContinuousPmp, continuousPmp } from './pmp/continuous.js';
export {
  type BackwardSweep,
  backwardCostates,
  type Controls,
  evaluateCost,
  forwardStates,
  type LayerField,
  layerHamiltonian,
  type PmpSweep,
  pmpSweep,
  type ResidualControlProblem,
  terminalCostate,
  unrolledCost,
} from './pmp/discrete.js';
