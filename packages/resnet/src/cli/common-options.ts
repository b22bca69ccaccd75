/** Options every experiment command has: where to write, resuming, sharding, threads. */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import type { Shard } from '../experiments/sweep.js';

export function parseShard(raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!m)
    throw new InvalidArgumentError(`'${raw}' is not of the form i/n (e.g. 1/4: the first of 4 shards).`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new InvalidArgumentError(`the shard count n must be at least 1, got ${count}.`);
  if (index < 1 || index > count)
    throw new InvalidArgumentError(`the shard index i must be in 1..${count}, got ${index}.`);
  return { index, count };
}

export function parseWorkers(raw: string): number {
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isInteger(n) || n < 1 || n > 256) {
    throw new InvalidArgumentError(`'${raw}' is not a whole number of threads in 1..256.`);
  }
  return n;
}

export function parseOutDir(raw: string): string {
  if (raw.trim() === '') throw new InvalidArgumentError('the output directory is empty.');
  return raw;
}

export const defaultWorkers = (): number => availableParallelism();
