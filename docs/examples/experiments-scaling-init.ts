/**
 * The three regimes of a ResNet at initialisation (Marion et al. 2022), as the scaling-init
 * experiment measures them (docs/experiments/scaling-init.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/experiments-scaling-init.ts
 */
import { pathToFileURL } from 'node:url';
import { runSweepInMemory, scalingInit } from '@resode/resnet';

export function main(log: (line: string) => void = console.log, samples = 10): Record<string, number> {
  // The small preset, without the fractional-noise heatmap and with fewer networks per point.
  const rows = runSweepInMemory(scalingInit, {
    ...scalingInit.presets.small,
    inits: ['iid', 'smooth'],
    depths: [10, 100, 1000],
    samples,
  });
  for (const r of rows.filter((row) => row.init === 'iid')) {
    log(
      `iid    beta = ${r.beta}  L = ${String(r.depth).padStart(4)}  median ||h_L - h_0|| / ||h_0|| = ${(r.ratioMedian as number).toPrecision(3)}`,
    );
  }
  const { lines, numbers } = scalingInit.summarize(rows);
  for (const line of lines) log(line);
  return numbers;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
