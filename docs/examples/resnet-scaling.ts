/**
 * Scaling at initialisation (Marion et al. 2022): ||h_L - h_0|| / ||h_0|| over beta and L for i.i.d.
 * and smooth weights (docs/resnet.md, "Initialisations and depth regimes").
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/resnet-scaling.ts
 */
import { pathToFileURL } from 'node:url';
import { type ScalingRow, scalingAtInit } from '@resode/resnet';

export function main(log: (line: string) => void = console.log, depths = [10, 100, 1000]) {
  const iid = scalingAtInit({ betas: [0.25, 0.5, 1], depths, width: 32, samples: 10, seed: 0 });
  const smooth = scalingAtInit({
    betas: [0.5, 1, 2],
    depths,
    width: 32,
    samples: 10,
    seed: 0,
    init: 'smooth',
  });
  const show = (title: string, rows: ScalingRow[]) => {
    log(title);
    log('  beta  depth  ratio median  [q10, q90]            grad ratio median');
    for (const r of rows) {
      log(
        `  ${r.beta.toFixed(2).padStart(4)}  ${String(r.depth).padStart(5)}  ${r.ratioMedian.toPrecision(3).padStart(12)}  ` +
          `[${r.ratioQ10.toPrecision(3)}, ${r.ratioQ90.toPrecision(3)}]`.padEnd(22) +
          `${r.gradRatioMedian.toPrecision(3)}`,
      );
    }
  };
  show('i.i.d. uniform weights (critical beta = 1/2):', iid);
  show('smooth weights, RBF Gaussian process (critical beta = 1):', smooth);
  return { iid, smooth };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
