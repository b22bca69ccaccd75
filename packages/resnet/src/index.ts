/**
 * @resode/resnet: ResNets and their continuous-depth limits, data, optimisers and training.
 * This file is the whole public surface.
 */
export { ACTIVATIONS, type Activation, type ActivationName, activation, fastTanh } from './activations.js';
export { BLOCK_PARAMS, BLOCKS, Block, type BlockKind } from './blocks/block.js';
export { type BranchWeights, branchReference, fusedBranch, fusedEulerStep } from './blocks/fused.js';
export {
  blobs,
  circles,
  DATASETS,
  type Dataset,
  type DatasetName,
  datasets,
  loadDataset,
  type Split,
  spirals,
  subset,
  type Task,
  teacherRegression,
  trainTestSplit,
  twoMoons,
} from './data/datasets.js';
export { ConfigError, ParameterFileError, ResNetError, TrainingError } from './errors.js';
export * from './experiments/index.js';
export { fft } from './init/fft.js';
export {
  drawInDepth,
  INITS,
  type InitName,
  type InitSpec,
  type ResolvedInit,
  resolveInit,
} from './init/index.js';
export { type DepthProcess, fgnAutocovariance, pivotedCholesky, samplePaths } from './init/processes.js';
export { applyLinear, type Linear, linear } from './models/linear.js';
export {
  type CustomField,
  type FieldSpec,
  NeuralODE,
  type NeuralOdeOptions,
  type SolverOptions,
  type TimeDependence,
} from './models/neural-ode.js';
export {
  ResNet,
  type ResNetConfig,
  type ResNetOptions,
  SCHEMES,
  type SchemeName,
} from './models/resnet.js';
export { neededStages, rkLayer } from './models/schemes.js';
export { SDENet, type SdeNetOptions } from './models/sde-net.js';
export {
  networkSeed,
  quantile,
  type ScalingNetwork,
  type ScalingOptions,
  type ScalingRow,
  type ScalingSample,
  scalingAtInit,
  scalingAtInitSamples,
  scalingNetwork,
  scalingRatios,
  scalingRatiosAtSteps,
} from './scaling.js';
export {
  type HasNamedParameters,
  loadModel,
  loadParameters,
  loadParametersFromJSON,
  PARAMETER_FORMAT,
  PARAMETER_VERSION,
  type ParameterFile,
  parametersToJSON,
  saveParameters,
} from './serialize.js';
export {
  type AdamOptions,
  adam,
  cosineSchedule,
  exponentialSchedule,
  type Optimizer,
  type Schedule,
  type SgdOptions,
  sgd,
  stepSchedule,
} from './train/optimizers.js';
export {
  accuracy,
  type EpochLog,
  evaluate,
  formatLog,
  type LossFn,
  type LossName,
  type Trainable,
  type TrainOptions,
  type TrainResult,
  train,
} from './train/train.js';
