/**
 * Parsers for experiment options given as text on the command line. Each throws an OptionError
 * that says what was expected and what was given; the CLI adds the option's name.
 */
import { OptionError } from './types.js';

export interface Bounds {
  min?: number;
  max?: number;
  /** Whether min itself is excluded (e.g. a step size must be > 0). */
  exclusiveMin?: boolean;
  /** Same for max. */
  exclusiveMax?: boolean;
}

function describeBounds({ min, max, exclusiveMin, exclusiveMax }: Bounds): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`${exclusiveMin ? '>' : '>='} ${min}`);
  if (max !== undefined) parts.push(`${exclusiveMax ? '<' : '<='} ${max}`);
  return parts.join(' and ');
}

function checkBounds(x: number, b: Bounds, what: string): void {
  const low = b.min !== undefined && (b.exclusiveMin ? x <= b.min : x < b.min);
  const high = b.max !== undefined && (b.exclusiveMax ? x >= b.max : x > b.max);
  if (low || high) throw new OptionError(`${what} ${x} is out of range: must be ${describeBounds(b)}`);
}

function parseNumber(text: string, integer: boolean, b: Bounds): number {
  const t = text.trim();
  const x = Number(t);
  if (t === '' || !Number.isFinite(x)) {
    throw new OptionError(`'${text}' is not ${integer ? 'an integer' : 'a finite number'}`);
  }
  if (integer && !Number.isInteger(x)) throw new OptionError(`'${text}' is not an integer`);
  checkBounds(x, b, 'value');
  return x;
}

export const int =
  (b: Bounds = {}) =>
  (raw: string): number =>
    parseNumber(raw, true, b);

export const num =
  (b: Bounds = {}) =>
  (raw: string): number =>
    parseNumber(raw, false, b);

function list<T>(raw: string, item: (text: string) => T): T[] {
  const items = raw.split(',');
  if (raw.trim() === '' || items.some((s) => s.trim() === '')) {
    throw new OptionError(`'${raw}' is not a comma-separated list (e.g. 1,2,3) with no empty entries`);
  }
  return items.map((text, i) => {
    try {
      return item(text);
    } catch (e) {
      if (items.length === 1) throw e;
      throw new OptionError(`entry ${i + 1} of '${raw}': ${(e as Error).message}`);
    }
  });
}

/** A comma-separated list of integers, each within bounds, no duplicates. */
export const intList =
  (b: Bounds = {}) =>
  (raw: string): number[] =>
    distinct(
      raw,
      list(raw, (t) => parseNumber(t, true, b)),
    );

/** A comma-separated list of numbers, each within bounds, no duplicates. */
export const numList =
  (b: Bounds = {}) =>
  (raw: string): number[] =>
    distinct(
      raw,
      list(raw, (t) => parseNumber(t, false, b)),
    );

function distinct<T>(raw: string, xs: T[]): T[] {
  const seen = new Set<T>();
  for (const x of xs) {
    if (seen.has(x)) throw new OptionError(`'${raw}' lists ${String(x)} twice`);
    seen.add(x);
  }
  return xs;
}

/** One of a fixed set of words. */
export const choice =
  <T extends string>(choices: readonly T[]) =>
  (raw: string): T => {
    const t = raw.trim() as T;
    if (!choices.includes(t)) throw new OptionError(`'${raw}' is not one of ${choices.join(', ')}`);
    return t;
  };

/** A comma-separated list of words from a fixed set. */
export const choiceList =
  <T extends string>(choices: readonly T[]) =>
  (raw: string): T[] =>
    distinct(raw, list(raw, choice(choices)));

export const showList = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));
