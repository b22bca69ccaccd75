/**
 * The public surface of the experiments: the experiment definitions, running sweeps (in memory or
 * to JSONL files, resumable, sharded, on worker threads), merging shards, and rendering figures.
 * (Re-exported by the package's src/index.ts.)
 */

export { type DemoOptions, runDemo } from '../cli/demo/demo.js';
export { type MergeResult, mergeFiles } from '../cli/merge-command.js';
export { buildProgram } from '../cli/program.js';
export { renderSvg } from './figures/render.js';
export { appendRows, type ReadResult, RowFileError, readRows, writeRows } from './jsonl.js';
export { curveGap, type MeshIndependenceOptions, meshIndependence } from './mesh-independence/index.js';
export { type MsaVsSgdOptions, msaVsSgd } from './msa-vs-sgd/index.js';
export { type Bounds, choice, choiceList, int, intList, num, numList } from './options.js';
export { rowsFile, writeFigures, writeSummary } from './output.js';
export { EXPERIMENTS, experimentByName } from './registry.js';
export { fitSeries, type ResnetToOdeOptions, resnetToOde } from './resnet-to-ode/index.js';
export { type ScalingInitOptions, scalingInit } from './scaling-init/index.js';
export { corollary4Bounds } from './scaling-init/theory.js';
export { canonicalJson, seedFrom } from './seed.js';
export { fitLine, fitPowerLaw, type LineFit } from './stats.js';
export {
  dedupeAndOrder,
  pointKey,
  runSweep,
  runSweepInMemory,
  type Shard,
  type SweepOptions,
  type SweepResult,
  sweepJobs,
} from './sweep.js';
export {
  type AnyExperiment,
  type Experiment,
  type Figure,
  type Json,
  OptionError,
  type OptionSpec,
  type Point,
  type Row,
  type StoredRow,
  type Summary,
} from './types.js';
export { type WeightsVsDepthOptions, weightsVsDepth } from './weights-vs-depth/index.js';
