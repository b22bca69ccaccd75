/** Base class of the errors thrown by @resode/resnet. */
export class ResNetError extends Error {
  override name = 'ResNetError';
}

/** An option outside its domain: the message names the option, the value and what was expected. */
export class ConfigError extends ResNetError {
  override name = 'ConfigError';
}

/** A parameter file that does not fit the model (format, version, names or shapes). */
export class ParameterFileError extends ResNetError {
  override name = 'ParameterFileError';
}

/** Training stopped because the loss became NaN or infinite. */
export class TrainingError extends ResNetError {
  override name = 'TrainingError';
  readonly epoch: number;
  readonly step: number;
  readonly loss: number;
  constructor(epoch: number, step: number, loss: number, hint = '') {
    super(
      `training diverged: the loss is ${loss} at epoch ${epoch}, step ${step}` +
        (hint ? ` (${hint})` : ' (try a smaller learning rate or a smaller alpha)'),
    );
    this.epoch = epoch;
    this.step = step;
    this.loss = loss;
  }
}

/** Throws a ConfigError unless `value` is an integer >= min. */
export function checkInteger(option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigError(`${option} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Throws a ConfigError unless `value` is a finite number (strictly positive with `positive`). */
export function checkNumber(option: string, value: unknown, positive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive && value <= 0)) {
    throw new ConfigError(
      `${option} must be a finite${positive ? ' positive' : ''} number, got ${String(value)}`,
    );
  }
  return value;
}

/** Throws a ConfigError unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(
      `${option} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}
