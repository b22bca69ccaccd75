import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeFiles } from '../src/cli/merge-command.js';
import { RowFileError, readRows } from '../src/experiments/jsonl.js';
import { rowsFile } from '../src/experiments/output.js';
import { scalingInit } from '../src/experiments/scaling-init/index.js';
import { canonicalJson } from '../src/experiments/seed.js';
import { runSweep, runSweepInMemory, sweepJobs } from '../src/experiments/sweep.js';

// A tiny sweep: 4 + 4 + 2 points, 26 rows, a fraction of a second.
const opts = {
  ...scalingInit.presets.small,
  depths: [4, 8, 16, 32],
  width: 6,
  samples: 4,
  hursts: [0.3, 0.8],
  heatmapDepth: 16,
  heatmapBetas: [0.5, 1],
};
const tmp = () => mkdtempSync(join(tmpdir(), 'resode-sweep-'));

describe('sweeps: files, resume, shards, workers', () => {
  const full = runSweepInMemory(scalingInit, opts);

  it('a run writes every row to JSONL in sweep order', async () => {
    const file = join(tmp(), 'rows.jsonl');
    const r = await runSweep(scalingInit, opts, { file });
    expect(r.ran).toBe(10);
    expect(r.rows).toEqual(full);
    expect(readRows(file).rows).toEqual(full);
    expect(full.map((row) => row.index)).toEqual([...full.map((row) => row.index)].sort((a, b) => a - b));
  });

  it('--resume after an interruption skips finished points and gives the same rows', async () => {
    const file = join(tmp(), 'rows.jsonl');
    // An interrupted run: the rows of the first 3 points, half of the 4th, and a line cut short.
    const cut = full.filter((r) => r.index < 3 || (r.index === 3 && r.part === 0));
    writeFileSync(file, cut.map((r) => `${JSON.stringify(r)}\n`).join(''));
    appendFileSync(file, JSON.stringify(full[full.length - 1]).slice(0, 40));
    const progress: number[] = [];
    const r = await runSweep(scalingInit, opts, { file, resume: true, onProgress: (d) => progress.push(d) });
    expect(r.droppedTruncatedLine).toBe(true);
    expect(r.skipped).toBe(3);
    expect(r.ran).toBe(7);
    expect(progress.at(-1)).toBe(7);
    expect(readRows(file).rows).toEqual(full);
    // Resuming a complete file runs nothing.
    const again = await runSweep(scalingInit, opts, { file, resume: true });
    expect(again.ran).toBe(0);
    expect(again.rows).toEqual(full);
  });

  it('without --resume the file starts afresh', async () => {
    const file = join(tmp(), 'rows.jsonl');
    writeFileSync(file, `${JSON.stringify({ ...full[0], ratioMedian: -1 })}\n`);
    const r = await runSweep(scalingInit, opts, { file });
    expect(r.ran).toBe(10);
    expect(readRows(file).rows).toEqual(full);
  });

  it('shards cover the sweep once, and merge gives the rows of one full run', async () => {
    const dir = tmp();
    const files: string[] = [];
    for (const index of [1, 2, 3]) {
      const shard = { index, count: 3 };
      const file = rowsFile(dir, scalingInit.name, shard);
      await runSweep(scalingInit, opts, { file, shard });
      files.push(file);
    }
    const counts = [1, 2, 3].map((index) => sweepJobs(scalingInit, opts, { index, count: 3 }).length);
    expect(counts).toEqual([4, 3, 3]);
    // Listing a shard twice (e.g. a retried job) leaves no duplicates.
    const merged = mergeFiles([files[2], files[0], files[1], files[0]], join(dir, 'merged'));
    expect(merged.duplicates).toBe(readRows(files[0]).rows.length);
    expect(merged.rows).toEqual(full);
    expect(readFileSync(merged.file, 'utf8')).toBe(full.map((r) => `${JSON.stringify(r)}\n`).join(''));
  });

  it('two worker threads give the same rows as a serial run', async () => {
    const file = join(tmp(), 'rows.jsonl');
    const r = await runSweep(scalingInit, opts, { file, workers: 2 });
    expect(r.rows).toEqual(full);
    expect(readRows(file).rows).toEqual(full);
  }, 60_000);

  it('merge refuses files of different experiments', () => {
    const dir = tmp();
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, `${JSON.stringify(full[0])}\n`);
    writeFileSync(b, `${JSON.stringify({ ...full[0], experiment: 'resnet-to-ode' })}\n`);
    expect(() => mergeFiles([a, b], dir)).toThrow(/mix experiments \(scaling-init, resnet-to-ode\)/);
  });

  it('a malformed line that is not the last is an error naming the line', () => {
    const file = join(tmp(), 'rows.jsonl');
    writeFileSync(file, `${JSON.stringify(full[0])}\n{oops\n${JSON.stringify(full[1])}\n`);
    expect(() => readRows(file)).toThrow(RowFileError);
    expect(() => readRows(file)).toThrow(/rows\.jsonl:2: not valid JSON/);
    writeFileSync(file, '{"a":1}\n');
    expect(() => readRows(file)).toThrow(/:1: not a resode row/);
  });

  it('keys are canonical: the same config in any key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [1, 2] }, b: 1 }),
    );
  });
});
