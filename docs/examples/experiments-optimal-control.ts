/**
 * Training read as optimal control (docs/experiments/msa-vs-sgd.md, docs/experiments/mesh-independence.md):
 * E-MSA against SGD and Adam, then function-space SGD on two meshes.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/experiments-optimal-control.ts
 */
import { pathToFileURL } from 'node:url';
import { curveGap, meshIndependence, msaVsSgd, runSweepInMemory } from '@resode/resnet';

export function main(log: (line: string) => void = console.log, iterations = 10) {
  const training = runSweepInMemory(msaVsSgd, { ...msaVsSgd.presets.small, iterations });
  for (const line of msaVsSgd.summarize(training).lines) log(line);

  const mesh = runSweepInMemory(meshIndependence, {
    ...meshIndependence.presets.small,
    depths: [16, 128],
    steps: iterations,
  });
  for (const line of meshIndependence.summarize(mesh).lines) log(line);
  return {
    training: msaVsSgd.summarize(training).numbers,
    l2Gap: curveGap(mesh, 'L2')?.gap ?? Number.NaN,
    euclideanGap: curveGap(mesh, 'euclidean')?.gap ?? Number.NaN,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
