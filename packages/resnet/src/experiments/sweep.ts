/**
 * Running a sweep: the points of an experiment, sliced into shards, minus the rows already on disk
 * (resume), run serially or on a worker pool, each point's rows appended to a JSONL file as soon
 * as they exist. When the sweep completes the file is rewritten in sweep order, so a serial run, a
 * parallel run, a resumed run and merged shards all leave the same rows in the same order.
 */
import { existsSync } from 'node:fs';
import { appendRows, readRows, writeRows } from './jsonl.js';
import { runOnPool } from './pool.js';
import { canonicalJson } from './seed.js';
import type { AnyExperiment, Point, Row, StoredRow } from './types.js';

export interface Shard {
  /** 1-based index of this shard. */
  index: number;
  count: number;
}

export interface SweepOptions {
  /** JSONL file the rows go to. */
  file: string;
  /** Keep the rows in `file` and skip their points; otherwise the file is started afresh. */
  resume?: boolean;
  shard?: Shard;
  /** Threads; 1 runs in this thread. */
  workers?: number;
  /** Called after each finished point, with the count done so far and the count to do. */
  onProgress?: (done: number, total: number) => void;
}

export interface SweepResult {
  /** The rows of this run's points (its shard), in sweep order, including resumed ones. */
  rows: StoredRow[];
  /** Points computed now and points skipped because their rows were on disk. */
  ran: number;
  skipped: number;
  /** Whether a cut-short last line was dropped from the resumed file. */
  droppedTruncatedLine: boolean;
}

interface Job {
  point: Point;
  key: string;
  /** Position in the full sweep. */
  index: number;
}

export const pointKey = (experiment: string, point: Point): string => canonicalJson({ experiment, ...point });

export function stored(experiment: string, job: Job, rows: Row[]): StoredRow[] {
  return rows.map((row, part) => ({
    experiment,
    key: job.key,
    index: job.index,
    part,
    parts: rows.length,
    ...row,
  }));
}

/** The jobs of a sweep, or of one shard of it: round-robin, so cheap and costly points spread evenly. */
export function sweepJobs(exp: AnyExperiment, opts: object, shard?: Shard): Job[] {
  const all = exp
    .points(opts)
    .map((point: Point, index: number) => ({ point, key: pointKey(exp.name, point), index }));
  return shard ? all.filter((j: Job) => j.index % shard.count === shard.index - 1) : all;
}

/** Keys whose every part is present. */
export function completeKeys(rows: readonly StoredRow[]): Set<string> {
  const seen = new Map<string, Set<number>>();
  const parts = new Map<string, number>();
  for (const r of rows) {
    if (!seen.has(r.key)) seen.set(r.key, new Set());
    seen.get(r.key)?.add(r.part);
    parts.set(r.key, r.parts);
  }
  return new Set([...seen].filter(([k, s]) => s.size === parts.get(k)).map(([k]) => k));
}

/** Drops repeated (key, part) pairs (the first copy wins) and sorts by sweep index, then part. */
export function dedupeAndOrder(rows: readonly StoredRow[]): StoredRow[] {
  const unique = new Map<string, StoredRow>();
  for (const r of rows) {
    const id = `${r.part}\u0000${r.key}`;
    if (!unique.has(id)) unique.set(id, r);
  }
  // Array.prototype.sort is stable: rows of equal index and part (different sweeps) keep their order.
  return [...unique.values()].sort((a, b) => a.index - b.index || a.part - b.part);
}

export async function runSweep(exp: AnyExperiment, opts: object, s: SweepOptions): Promise<SweepResult> {
  const jobs = sweepJobs(exp, opts, s.shard);
  const keys = new Set(jobs.map((j) => j.key));
  let previous: StoredRow[] = [];
  let droppedTruncatedLine = false;
  if (s.resume && existsSync(s.file)) {
    const read = readRows(s.file);
    previous = read.rows;
    droppedTruncatedLine = read.truncatedLine;
  }
  const done = completeKeys(previous);
  // Rows of unfinished points are recomputed; rows of other configs stay in the file.
  previous = previous.filter((r) => done.has(r.key) || !keys.has(r.key));
  writeRows(s.file, previous);
  const todo = jobs.filter((j) => !done.has(j.key));
  const fresh: StoredRow[] = [];
  let finished = 0;
  const finish = (job: Job, rows: Row[]) => {
    const st = stored(exp.name, job, rows);
    appendRows(s.file, st);
    fresh.push(...st);
    s.onProgress?.(++finished, todo.length);
  };
  s.onProgress?.(0, todo.length);
  const threads = Math.max(1, Math.min(s.workers ?? 1, todo.length));
  if (threads === 1) {
    for (const job of todo) finish(job, exp.run(job.point));
  } else {
    const tasks = todo.map((j) => ({ experiment: exp.name, point: j.point }));
    await runOnPool(tasks, threads, (i, rows) => finish(todo[i], rows));
  }
  // This sweep's rows take their index in this sweep (a resumed file may come from other options).
  const index = new Map(jobs.map((j) => [j.key, j.index]));
  const mine = [...previous.filter((r) => keys.has(r.key)), ...fresh].map((r) => ({
    ...r,
    index: index.get(r.key) ?? r.index,
  }));
  const rows = dedupeAndOrder(mine);
  const others = previous.filter((r) => !keys.has(r.key));
  writeRows(s.file, [...rows, ...others]);
  return { rows, ran: todo.length, skipped: jobs.length - todo.length, droppedTruncatedLine };
}

/** Runs a sweep in memory, serially, without files (the programmatic API and the tests). */
export function runSweepInMemory(exp: AnyExperiment, opts: object): StoredRow[] {
  return sweepJobs(exp, opts).flatMap((j) => stored(exp.name, j, exp.run(j.point)));
}
