/**
 * A ResNet and a neural ODE, defined, trained with a progress bar and saved (docs/resnet.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/resnet-quickstart.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { adam, loadDataset, loadModel, NeuralODE, ResNet, saveParameters, train } from '@resode/resnet';

export function main(outDir = 'out/examples', log: boolean | ((line: unknown) => void) = true) {
  mkdirSync(outDir, { recursive: true });
  const print = typeof log === 'function' ? log : log ? console.log : () => {};

  // A ResNet of 16 blocks V tanh(W h), alpha = 1/16, on two moons.
  const moons = loadDataset('two-moons', { n: 600, seed: 0 });
  const resnet = new ResNet({ depth: 16, width: 8, beta: 1, activation: 'tanh', inputDim: 2, outputDim: 2 });
  const r = train(resnet, moons, { epochs: 10, optimizer: adam({ lr: 0.02 }), log: log === true });
  saveParameters(resnet, join(outDir, 'resnet-moons.json'));

  // Its continuous-depth limit, trained with the adjoint method, on two spirals.
  const spirals = loadDataset('spirals', { n: 600, seed: 0 });
  const node = new NeuralODE({ width: 6, inputDim: 2, outputDim: 2, gradient: 'adjoint' });
  const n = train(node, spirals, { epochs: 12, optimizer: adam({ lr: 0.02 }), log: log === true });
  saveParameters(node, join(outDir, 'node-spirals.json'));

  // The saved files rebuild the same models.
  const again = loadModel(join(outDir, 'resnet-moons.json'));
  const same = again.forward(moons.test.x).toArray();
  print(`ResNet test accuracy ${r.last.testAccuracy}, neural ODE test accuracy ${n.last.testAccuracy}`);
  print(
    `function evaluations of the neural ODE: ${node.stats.nfeForward} forward, ${node.stats.nfeBackward} backward`,
  );
  return {
    resnet: r.last,
    neuralOde: n.last,
    nfe: { ...node.stats },
    reloadedAgrees: JSON.stringify(same) === JSON.stringify(resnet.forward(moons.test.x).toArray()),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
