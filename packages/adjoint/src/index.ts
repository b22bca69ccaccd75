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
