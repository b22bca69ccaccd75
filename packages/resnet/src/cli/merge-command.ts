/** `resode merge <files...> --out <dir>`: joins shard files into one, as one full run would have written it. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { readRows, writeRows } from '../experiments/jsonl.js';
import { rowsFile, writeFigures, writeSummary } from '../experiments/output.js';
import { experimentByName } from '../experiments/registry.js';
import { dedupeAndOrder } from '../experiments/sweep.js';
import type { StoredRow } from '../experiments/types.js';
import { parseOutDir } from './common-options.js';
import type { Io } from './experiment-command.js';

export interface MergeResult {
  file: string;
  rows: StoredRow[];
  duplicates: number;
}

/** Reads the files, drops repeated (key, part) rows, sorts by sweep index; all rows must be of one experiment. */
export function mergeFiles(files: readonly string[], outDir: string): MergeResult {
  const all = files.flatMap((f) => readRows(f).rows);
  if (all.length === 0) throw new InvalidArgumentError(`no rows in ${files.join(', ')}.`);
  const names = [...new Set(all.map((r) => r.experiment))];
  if (names.length > 1)
    throw new InvalidArgumentError(
      `the files mix experiments (${names.join(', ')}); merge one experiment at a time.`,
    );
  const rows = dedupeAndOrder(all);
  const file = rowsFile(outDir, names[0]);
  if (files.includes(file))
    throw new InvalidArgumentError(`the output ${file} is also an input; choose another --out.`);
  writeRows(file, rows);
  return { file, rows, duplicates: all.length - rows.length };
}

export function mergeCommand(io: Io): Command {
  return new Command('merge')
    .description(
      'join the JSONL files of the shards of one sweep (duplicates dropped, sweep order), then draw its figures',
    )
    .argument('<files...>', 'JSONL files written by --shard runs (or any runs of the same experiment)')
    .addOption(
      new Option('--out <dir>', 'directory for the merged JSONL, the figures and the summary')
        .argParser(parseOutDir)
        .default('out'),
    )
    .option('--no-figures', 'skip the SVG figures')
    .action(async (files: string[], o: { out: string; figures: boolean }, cmd: Command) => {
      let merged: MergeResult;
      try {
        merged = mergeFiles(files, o.out);
      } catch (e) {
        cmd.error(`error: ${(e as Error).message}`, { exitCode: 2, code: 'resode.merge' });
      }
      const exp = experimentByName(merged.rows[0].experiment);
      io.out(
        `merged ${files.length} file(s): ${merged.rows.length} rows (${merged.duplicates} duplicates dropped) in ${merged.file}\n`,
      );
      const summary = exp.summarize(merged.rows);
      for (const line of summary.lines) io.out(`  ${line}\n`);
      writeSummary(exp, summary, o.out);
      if (o.figures)
        for (const path of await writeFigures(exp, merged.rows, o.out)) io.out(`  figure: ${path}\n`);
    });
}
