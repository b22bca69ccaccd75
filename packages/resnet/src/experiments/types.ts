/**
 * What an experiment is, for the sweep runner, the CLI and the report: a typed set of options with
 * a small and a large preset, the sweep those options define (a list of points, each a plain JSON
 * config), a pure function from a point to its rows, and figures drawn from rows alone.
 */
import type { TopLevelSpec } from 'vega-lite';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Point = { [key: string]: Json };
export type Row = { [key: string]: Json };

/** A row as stored in JSONL: the experiment's row plus where it came from in the sweep. */
export type StoredRow = Row & {
  experiment: string;
  /** Canonical JSON of the point that produced this row (the resume and merge key). */
  key: string;
  /** Position of that point in the full sweep (shards keep it, so merged shards sort back). */
  index: number;
  /** Position of the row among the `parts` rows its point produced. */
  part: number;
  parts: number;
};

/** A bad option value: the CLI prints the message and exits non-zero. */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

export interface OptionSpec<O> {
  /** Property of the options object. */
  key: keyof O & string;
  /** Commander flag, e.g. '--depths <list>'. */
  flag: string;
  description: string;
  /** Parses the command-line text; throws OptionError with what was wrong. */
  parse: (raw: string) => unknown;
  /** How a value prints in --help (defaults). */
  show?: (value: unknown) => string;
}

export interface Figure {
  /** File stem: the figure is written to <out>/<name>.svg. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

export interface Summary {
  /** One line per finding, for the terminal and the report. */
  lines: string[];
  /** The measured numbers (slopes, ratios) by name. */
  numbers: Record<string, number>;
}

export interface Experiment<O extends object = Record<string, unknown>> {
  name: string;
  title: string;
  /** One line for --help. */
  description: string;
  /** The claim of the paper being reproduced, with the reference. */
  claim: string;
  presets: { small: O; large: O };
  options: OptionSpec<O>[];
  /** Errors about combinations of options (each a full sentence); empty when valid. */
  validate(opts: O): string[];
  /** The sweep: every point is one unit of work, seeded from its own config. */
  points(opts: O): Point[];
  /** Runs one point. Pure: the same point gives the same rows, on any thread. */
  run(point: Point): Row[];
  figures(rows: readonly StoredRow[]): Figure[];
  summarize(rows: readonly StoredRow[]): Summary;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds experiments of different option types.
export type AnyExperiment = Experiment<any>;
