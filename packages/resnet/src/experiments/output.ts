/** Where a sweep's files go, and writing its figures and summary next to its rows. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSvg } from './figures/render.js';
import type { Shard } from './sweep.js';
import type { AnyExperiment, StoredRow, Summary } from './types.js';

export function rowsFile(outDir: string, experiment: string, shard?: Shard): string {
  const suffix = shard ? `.shard-${shard.index}-of-${shard.count}` : '';
  return join(outDir, `${experiment}${suffix}.jsonl`);
}

/** Renders every figure of the experiment to <outDir>/<name>.svg; returns the paths. */
export async function writeFigures(
  exp: AnyExperiment,
  rows: readonly StoredRow[],
  outDir: string,
): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const paths: string[] = [];
  for (const fig of exp.figures(rows)) {
    const path = join(outDir, `${fig.name}.svg`);
    writeFileSync(path, await renderSvg(fig.spec));
    paths.push(path);
  }
  return paths;
}

/** Writes <outDir>/<experiment>.summary.json (the measured numbers and the lines). */
export function writeSummary(exp: AnyExperiment, summary: Summary, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${exp.name}.summary.json`);
  writeFileSync(path, `${JSON.stringify({ experiment: exp.name, claim: exp.claim, ...summary }, null, 2)}\n`);
  return path;
}
