/**
 * Trained weights as functions of depth (docs/experiments/weights-vs-depth.md): train ResNets of a few
 * depths from a smooth and from an i.i.d. initialisation, then fit how the increments of theta_k scale.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/experiments-weights-vs-depth.ts
 */
import { pathToFileURL } from 'node:url';
import { runSweepInMemory, weightsVsDepth } from '@resode/resnet';

export function main(log: (line: string) => void = console.log, epochs = 4): Record<string, number> {
  const rows = runSweepInMemory(weightsVsDepth, {
    ...weightsVsDepth.presets.small,
    activations: ['tanh'],
    depths: [8, 16, 32],
    samples: 160,
    epochs,
  });
  for (const r of rows) {
    log(
      `${r.init} init, L = ${String(r.depth).padStart(2)}: max_k ||theta_{k+1} - theta_k|| = ` +
        `${(r.maxIncrement as number).toFixed(3)}, train MSE ${(r.trainLoss as number).toExponential(1)}`,
    );
  }
  const { lines, numbers } = weightsVsDepth.summarize(rows);
  for (const line of lines) log(line);
  return numbers;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
