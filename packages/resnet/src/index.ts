/**
 * @resode/resnet: ResNets and their continuous-depth limits, data, optimisers and training.
 * This file is the whole public surface.
 */
export { ACTIVATIONS, type Activation, type ActivationName, activation, fastTanh } from './activations.js';
export { BLOCK_PARAMS, BLOCKS, Block, type BlockKind } from './blocks/block.js';
export { type BranchWeights, branchReference, fusedBranch } from './blocks/fused.js';
export { ConfigError, ParameterFileError, ResNetError, TrainingError } from './errors.js';
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
export {
  type Linear,
  ResNet,
  type ResNetConfig,
  type ResNetOptions,
  SCHEMES,
  type SchemeName,
} from './models/resnet.js';
export { neededStages, rkLayer } from './models/schemes.js';
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
} from './scaling.js';
