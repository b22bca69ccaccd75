/**
 * Sweeps on disk (docs/experiments/README.md): rows appended to JSONL as they finish, a sweep split
 * into shards and merged back, a resumed run that skips what is done, and a figure rendered to SVG.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/experiments-sweep-files.ts
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mergeFiles, readRows, renderSvg, resnetToOde, rowsFile, runSweep } from '@resode/resnet';

export async function main(log: (line: string) => void = console.log) {
  const dir = mkdtempSync(join(tmpdir(), 'resode-sweep-'));
  const opts = { ...resnetToOde.presets.small, schemes: ['euler', 'rk4'] as const, depths: [8, 16, 32, 64] };
  const options = { ...opts, schemes: [...opts.schemes] };

  // Two shards, as two machines of a batch system would run them (--shard 1/2 and --shard 2/2).
  const shardFiles = [];
  for (const index of [1, 2]) {
    const shard = { index, count: 2 };
    const file = rowsFile(dir, resnetToOde.name, shard);
    const r = await runSweep(resnetToOde, options, { file, shard });
    log(`shard ${index}/2: ${r.ran} points -> ${file}`);
    shardFiles.push(file);
  }
  const merged = mergeFiles(shardFiles, join(dir, 'merged'));
  log(`merged: ${merged.rows.length} rows in ${merged.file}`);

  // A full run into the same directory; then --resume finds every point done and runs none.
  const file = rowsFile(dir, resnetToOde.name);
  const full = await runSweep(resnetToOde, options, { file });
  const resumed = await runSweep(resnetToOde, options, { file, resume: true });
  log(`full run: ${full.ran} points; resumed run: ${resumed.ran} points run, ${resumed.skipped} skipped`);

  const svg = await renderSvg(resnetToOde.figures(readRows(file).rows)[0]!.spec);
  writeFileSync(join(dir, 'resnet-to-ode.svg'), svg);
  log(`figure: ${join(dir, 'resnet-to-ode.svg')} (${svg.length} characters of SVG)`);
  return { merged: merged.rows, full: full.rows, resumed, svg };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
