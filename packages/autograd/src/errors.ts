/** Base class of errors raised by @resode/autograd (shape errors come from @resode/tensor). */
export class AutogradError extends Error {
  override name = 'AutogradError';
}

/** A NaN or infinity appeared where the inputs were finite; with detectAnomaly it names the primitive. */
export class AnomalyError extends AutogradError {
  override name = 'AnomalyError';
}
