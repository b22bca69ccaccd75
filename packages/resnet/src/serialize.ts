/**
 * Parameter files: JSON with a format tag, a version, the model's configuration (when it can be
 * rebuilt from it) and every named parameter with its shape and values.
 *
 * Values are JSON numbers: JSON.stringify writes the shortest decimal that parses back to the same
 * double (ECMA-262 Number::toString), so every finite float64 round-trips exactly. The four values
 * JSON has no number for are written as strings: "-0" (JSON would turn -0 into 0), "NaN",
 * "Infinity" and "-Infinity".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Var } from '@resode/autograd';
import { fmtShape } from '@resode/tensor';
import { ParameterFileError } from './errors.js';
import { NeuralODE, type NeuralOdeOptions } from './models/neural-ode.js';
import { ResNet, type ResNetConfig } from './models/resnet.js';

export const PARAMETER_FORMAT = 'resode-parameters';
export const PARAMETER_VERSION = 1;

type JsonValue = number | '-0' | 'NaN' | 'Infinity' | '-Infinity';

export type ParameterFile = {
  format: typeof PARAMETER_FORMAT;
  version: typeof PARAMETER_VERSION;
  model?: { kind: 'ResNet'; config: ResNetConfig } | { kind: 'NeuralODE'; config: NeuralOdeOptions };
  parameters: { name: string; shape: number[]; values: JsonValue[] }[];
};

/** Anything with named parameters (ResNet, NeuralODE, SDENet, or your own). */
export interface HasNamedParameters {
  namedParameters(): [string, Var][];
}

function encode(x: number): JsonValue {
  if (Number.isFinite(x)) return Object.is(x, -0) ? '-0' : x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

function decode(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  switch (v) {
    case '-0':
      return -0;
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      throw new ParameterFileError(`${where}: expected a number, got ${JSON.stringify(v)}`);
  }
}

/** The parameter file of a model, as a JSON-ready object. */
export function parametersToJSON(model: HasNamedParameters): ParameterFile {
  const file: ParameterFile = {
    format: PARAMETER_FORMAT,
    version: PARAMETER_VERSION,
    parameters: model.namedParameters().map(([name, v]) => ({
      name,
      shape: [...v.shape],
      values: Array.from(v.value.values(), encode),
    })),
  };
  if (model instanceof ResNet) file.model = { kind: 'ResNet', config: model.config };
  else if (model instanceof NeuralODE && model.options !== undefined)
    file.model = { kind: 'NeuralODE', config: model.options };
  return file;
}

/** Checks the file's format and version and returns it typed. */
function checkFile(file: unknown, source: string): ParameterFile {
  const f = file as Partial<ParameterFile> | null;
  if (typeof f !== 'object' || f === null || f.format !== PARAMETER_FORMAT) {
    const got = typeof f === 'object' && f !== null ? JSON.stringify(f.format) : typeof f;
    throw new ParameterFileError(
      `${source}: not a resode parameter file (format ${got}, expected '${PARAMETER_FORMAT}')`,
    );
  }
  if (f.version !== PARAMETER_VERSION) {
    throw new ParameterFileError(
      `${source}: parameter file version ${JSON.stringify(f.version)} is not supported (this resode reads version ${PARAMETER_VERSION})`,
    );
  }
  if (!Array.isArray(f.parameters)) throw new ParameterFileError(`${source}: 'parameters' must be an array`);
  return f as ParameterFile;
}

/**
 * Copies the file's values into the model's parameters, in place. Every name of the model must be
 * in the file with the same shape, and the file must have no other names; nothing is written
 * unless all of them fit.
 */
export function loadParametersFromJSON(
  model: HasNamedParameters,
  file: unknown,
  source = 'parameter file',
): void {
  const f = checkFile(file, source);
  const own = new Map(model.namedParameters());
  const byName = new Map<string, ParameterFile['parameters'][number]>();
  for (const p of f.parameters) {
    if (typeof p?.name !== 'string') throw new ParameterFileError(`${source}: every parameter needs a name`);
    if (byName.has(p.name)) throw new ParameterFileError(`${source}: parameter '${p.name}' appears twice`);
    if (!own.has(p.name)) {
      throw new ParameterFileError(`${source}: has a parameter '${p.name}' that the model does not have`);
    }
    byName.set(p.name, p);
  }
  const decoded: [Var, Float64Array][] = [];
  for (const [name, v] of own) {
    const p = byName.get(name);
    if (p === undefined)
      throw new ParameterFileError(`${source}: has no parameter '${name}' (shape ${fmtShape(v.shape)})`);
    const shape = p.shape;
    if (!Array.isArray(shape) || shape.length !== v.rank || shape.some((d, i) => d !== v.shape[i])) {
      throw new ParameterFileError(
        `${source}: parameter '${name}' has shape ${Array.isArray(shape) ? fmtShape(shape) : JSON.stringify(shape)} in the file but ${fmtShape(v.shape)} in the model`,
      );
    }
    if (!Array.isArray(p.values) || p.values.length !== v.size) {
      throw new ParameterFileError(
        `${source}: parameter '${name}' has ${Array.isArray(p.values) ? p.values.length : 'no'} values for shape ${fmtShape(v.shape)} (${v.size})`,
      );
    }
    decoded.push([v, Float64Array.from(p.values, (x, i) => decode(x, `${source}: ${name}[${i}]`))]);
  }
  for (const [v, values] of decoded) {
    if (!v.value.isContiguous) throw new ParameterFileError(`${source}: a model parameter is not contiguous`);
    v.value.data.set(values, v.value.offset);
  }
}

/** Writes the model's parameters (and configuration) to a JSON file. */
export function saveParameters(model: HasNamedParameters, path: string): void {
  writeFileSync(path, `${JSON.stringify(parametersToJSON(model))}\n`);
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ParameterFileError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Loads a parameter file written by saveParameters into a model of the same architecture. */
export function loadParameters(model: HasNamedParameters, path: string): void {
  loadParametersFromJSON(model, readJson(path), path);
}

/** Rebuilds the saved ResNet or NeuralODE (built-in field) from its configuration and loads its weights. */
export function loadModel(path: string): ResNet | NeuralODE {
  const file = checkFile(readJson(path), path);
  const model =
    file.model?.kind === 'ResNet'
      ? ResNet.fromConfig(file.model.config)
      : file.model?.kind === 'NeuralODE'
        ? new NeuralODE(file.model.config)
        : undefined;
  if (model === undefined) {
    throw new ParameterFileError(
      `${path}: the file has no model configuration; build the model and use loadParameters`,
    );
  }
  loadParametersFromJSON(model, file, path);
  return model;
}
