/** Base class of every error thrown by @resode/tensor. */
export class TensorError extends Error {
  override name = 'TensorError';
}

/** A shape that is invalid, or two shapes that do not fit an operation. The message names both. */
export class ShapeError extends TensorError {
  override name = 'ShapeError';
}

/** An axis or an index outside its range. */
export class IndexError extends TensorError {
  override name = 'IndexError';
}

/** `[2, 3]` as text, for error messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
