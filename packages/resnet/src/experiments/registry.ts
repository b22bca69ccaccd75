/** Every experiment by its command name. */

import { meshIndependence } from './mesh-independence/index.js';
import { msaVsSgd } from './msa-vs-sgd/index.js';
import { resnetToOde } from './resnet-to-ode/index.js';
import { scalingInit } from './scaling-init/index.js';
import type { AnyExperiment } from './types.js';
import { weightsVsDepth } from './weights-vs-depth/index.js';

export const EXPERIMENTS: readonly AnyExperiment[] = [
  scalingInit,
  weightsVsDepth,
  resnetToOde,
  msaVsSgd,
  meshIndependence,
];

export function experimentByName(name: string): AnyExperiment {
  const e = EXPERIMENTS.find((x) => x.name === name);
  if (!e)
    throw new RangeError(`unknown experiment '${name}'; known: ${EXPERIMENTS.map((x) => x.name).join(', ')}`);
  return e;
}
