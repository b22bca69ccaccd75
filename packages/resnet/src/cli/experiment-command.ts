/**
 * One CLI command per experiment: its own options (from the experiment's option specs, over a
 * small or large preset) plus the common ones, then the sweep, the figures and the summary.
 */
import { existsSync, statSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { rowsFile, writeFigures, writeSummary } from '../experiments/output.js';
import { runSweep, type Shard } from '../experiments/sweep.js';
import { type AnyExperiment, OptionError, type OptionSpec } from '../experiments/types.js';
import { defaultWorkers, parseOutDir, parseShard, parseWorkers } from './common-options.js';
import { progressBar } from './progress.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

const show = (spec: OptionSpec<Record<string, unknown>>, v: unknown): string =>
  spec.show ? spec.show(v) : String(v);

/** Commander calls this with the raw text; our parsers throw OptionError, commander wants InvalidArgumentError. */
function commanderParser(spec: OptionSpec<Record<string, unknown>>) {
  return (raw: string) => {
    try {
      return spec.parse(raw);
    } catch (e) {
      if (e instanceof OptionError) throw new InvalidArgumentError(`${e.message}.`);
      throw e;
    }
  };
}

export interface CommonOptions {
  out: string;
  preset: 'small' | 'large';
  resume: boolean;
  shard?: Shard;
  workers: number;
  figures: boolean;
  progress: boolean;
}

export function experimentCommand(exp: AnyExperiment, io: Io): Command {
  const cmd = new Command(exp.name).description(`${exp.description}\n\n${exp.claim}`);
  for (const spec of exp.options as OptionSpec<Record<string, unknown>>[]) {
    const { small, large } = exp.presets as Record<'small' | 'large', Record<string, unknown>>;
    const defaults = `(small: ${show(spec, small[spec.key])}; large: ${show(spec, large[spec.key])})`;
    cmd.addOption(new Option(spec.flag, `${spec.description} ${defaults}`).argParser(commanderParser(spec)));
  }
  cmd
    .addOption(
      new Option('--preset <name>', 'configuration the other options start from')
        .choices(['small', 'large'])
        .default('small'),
    )
    .addOption(
      new Option('--out <dir>', 'directory for the JSONL rows, the SVG figures and the summary')
        .argParser(parseOutDir)
        .default('out'),
    )
    .option('--resume', 'keep the rows already in the output file and skip their points', false)
    .addOption(
      new Option(
        '--shard <i/n>',
        'run only the i-th of n slices of the sweep (merge them with `resode merge`)',
      ).argParser(parseShard),
    )
    .addOption(
      new Option('--workers <n>', 'worker threads (1 runs serially; rows are the same either way)')
        .argParser(parseWorkers)
        .default(defaultWorkers(), 'the number of cores'),
    )
    .option('--no-figures', 'skip the SVG figures')
    .option('--no-progress', 'no progress bar')
    .action(async (raw: Record<string, unknown>) => {
      const common = raw as unknown as CommonOptions;
      const preset = (exp.presets as Record<string, Record<string, unknown>>)[common.preset];
      const opts: Record<string, unknown> = { ...preset };
      for (const spec of exp.options as OptionSpec<Record<string, unknown>>[]) {
        if (raw[spec.key] !== undefined) opts[spec.key] = raw[spec.key];
      }
      const errors = exp.validate(opts);
      if (errors.length > 0)
        cmd.error(`error: ${errors.join(' ')}`, { exitCode: 2, code: 'resode.invalidOptions' });
      if (existsSync(common.out) && !statSync(common.out).isDirectory()) {
        cmd.error(`error: --out ${common.out} exists and is not a directory.`, {
          exitCode: 2,
          code: 'resode.invalidOptions',
        });
      }
      await runExperiment(exp, opts, common, io);
    });
  return cmd;
}

export async function runExperiment(
  exp: AnyExperiment,
  opts: Record<string, unknown>,
  common: CommonOptions,
  io: Io,
): Promise<void> {
  const file = rowsFile(common.out, exp.name, common.shard);
  const bar = progressBar(exp.name, common.progress);
  const t0 = performance.now();
  // Ctrl-C: the finished points are already on disk; say how to continue.
  const onInterrupt = () => {
    bar.stop();
    io.err(
      `\ninterrupted: the finished points are in ${file}; the same command with --resume runs the rest\n`,
    );
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  let result: Awaited<ReturnType<typeof runSweep>>;
  try {
    result = await runSweep(exp, opts, {
      file,
      resume: common.resume,
      shard: common.shard,
      workers: common.workers,
      onProgress: (done, total) => bar.update(done, total),
    });
  } finally {
    process.off('SIGINT', onInterrupt);
    bar.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (result.droppedTruncatedLine)
    io.err(`note: dropped a cut-short last line of ${file} (an interrupted write)\n`);
  io.out(
    `${exp.name}: ${result.ran} points run, ${result.skipped} resumed, ${result.rows.length} rows in ${file} ` +
      `(${seconds.toFixed(1)} s, ${Math.min(common.workers, Math.max(result.ran, 1))} thread(s))\n`,
  );
  if (common.shard) {
    io.out(
      `shard ${common.shard.index}/${common.shard.count} done; join the shards with: resode merge <files...> --out <dir>\n`,
    );
    return;
  }
  const summary = exp.summarize(result.rows);
  for (const line of summary.lines) io.out(`  ${line}\n`);
  writeSummary(exp, summary, common.out);
  if (common.figures) {
    for (const path of await writeFigures(exp, result.rows, common.out)) io.out(`  figure: ${path}\n`);
  }
}
