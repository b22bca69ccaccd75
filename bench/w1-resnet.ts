/**
 * W1 (DESIGN.md) written with @resode/resnet's ResNet class instead of autograd ops: the same
 * network (L = 256 blocks V tanh(W h), d = 16, batch 128, alpha = L^(-1/2), the peers' weights
 * loaded with setControls), but each layer h + alpha V tanh(W h) is ONE node of the tape, the
 * fused Euler step of packages/resnet/src/blocks/fused.ts with its hand-written VJP. It is an
 * extra row of the table, beside the honest W1 of w1.ts that a user writes with matmul/tanh/add.
 * Run: pnpm bench:build && node bench/dist/w1-resnet.js
 * (compiled, under plain Node, as `pnpm bench` runs it; `pnpm exec tsx --conditions=resode-source
 * bench/w1-resnet.ts` runs the source, slower: see packages/tensor/src/kernels/matmul.ts)
 */
import { fileURLToPath } from 'node:url';
import * as A from '@resode/autograd';
import { ResNet } from '@resode/resnet';
import type { Tensor } from '@resode/tensor';
import { mulberry32, portableNormal } from './portable-tensors.js';
import { sampleMs } from './timing.js';

/** Builds W1 on a ResNet; each call runs one forward + backward and returns the loss (11.41696358). */
export function w1ResNet(L = 256, d = 16, batch = 128): () => number {
  const rng = mulberry32(1);
  const h0 = portableNormal(rng, [batch, d]);
  const controls: Tensor[][] = [];
  for (let k = 0; k < L; k++) {
    const W = portableNormal(rng, [d, d], d ** -0.5);
    const V = portableNormal(rng, [d, d], d ** -0.5);
    controls.push([W, V]);
  }
  const model = new ResNet({ depth: L, width: d, beta: 0.5, activation: 'tanh', block: 'vsw' });
  model.setControls(controls);
  // The weights as Tensors: Vars that require grad would link this gradient to an outer tape, and
  // the backward pass would then be recorded (for a gradient of the gradient), which the fused
  // node supports only through its unfused reference VJP.
  const params = model.parameters().map((p) => p.value);
  const step = A.valueAndGrad(
    (...ps: A.Var[]) => {
      const h = model.withParameters(ps).forward(h0);
      return A.mul(A.mean(A.sum(A.square(h), 1)), 0.5);
    },
    { reuseStorage: true }, // as bench/w1.ts: a training step reuses the last step's storage
  );
  return () => step(...params).value.item();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t = sampleMs(w1ResNet(), 30, 5);
  console.log(
    `W1 with the ResNet class: median ${t.median.toFixed(2)} ms, min ${t.min.toFixed(2)}, loss ${t.last.toFixed(8)}`,
  );
}
