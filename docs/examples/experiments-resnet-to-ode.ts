/**
 * ResNets converge to the neural ODE at the order of their scheme (docs/experiments/resnet-to-ode.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/experiments-resnet-to-ode.ts
 */
import { pathToFileURL } from 'node:url';
import { fitSeries, resnetToOde, runSweepInMemory } from '@resode/resnet';

export function main(log: (line: string) => void = console.log): Record<string, number> {
  const rows = runSweepInMemory(resnetToOde, {
    ...resnetToOde.presets.small,
    schemes: ['euler', 'midpoint', 'rk4'],
    depths: [8, 16, 32, 64, 128],
  });
  for (const r of rows.filter((row) => row.scheme === 'euler')) {
    log(
      `euler ResNet, L = ${String(r.depth).padStart(3)}: max |h_L - x(1)| = ${(r.error as number).toExponential(2)}`,
    );
  }
  const slopes: Record<string, number> = {};
  for (const f of fitSeries(rows)) {
    log(`${f.series}: error ~ L^${f.slope.toFixed(2)} (theory -${f.expected})`);
    slopes[f.series] = f.slope;
  }
  return slopes;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
