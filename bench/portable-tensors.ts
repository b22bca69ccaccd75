/** The portable inputs (portable-random.ts) as resode Tensors. */
import { Tensor } from '@resode/tensor';
import { normalValues, sizeOf, uniformValues } from './portable-random.js';

export { mulberry32 } from './portable-random.js';

export function portableNormal(rng: () => number, shape: number[], std = 1): Tensor {
  return Tensor.view(normalValues(rng, sizeOf(shape), std), shape);
}

export function portableUniform(rng: () => number, shape: number[], bound: number): Tensor {
  return Tensor.view(uniformValues(rng, sizeOf(shape), bound), shape);
}
