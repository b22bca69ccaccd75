/**
 * Data parallelism: the gradient of a loss over a batch on two threads, each on half the rows,
 * with dataParallel (docs/autograd.md, "Several threads"). The loss lives in its own module
 * (autograd-data-parallel-loss.ts) because the worker threads import it.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/autograd-data-parallel.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { residualFit } from './autograd-data-parallel-loss.js';

export async function main(log: (...args: unknown[]) => void = console.log) {
  const rng = T.createRng(0);
  const [batch, width, depth] = [256, 8, 16];
  const x = T.randn([batch, width], rng);
  const y = T.tanh(T.mul(x, 2)); // the targets: a map that the network can learn
  let weights = Array.from({ length: 2 * depth }, () => T.mul(T.randn([width, width], rng), width ** -0.5));

  // Argument 0 (x) and 1 (y) are the batch: each thread takes its rows. The loss is a mean over
  // the rows, so the threads' results are weighted by their share of the rows.
  const parallel = await A.dataParallel(
    new URL('./autograd-data-parallel-loss.js', import.meta.url),
    'residualFit',
    {
      threads: 2,
      shardArgs: [0, 1],
      reduction: 'mean',
      reuseStorage: true,
    },
  );
  try {
    // The same value and gradients as valueAndGrad on the whole batch, up to rounding.
    const one = A.valueAndGrad(residualFit)(x, y, ...weights);
    const two = parallel.valueAndGrad(x, y, ...weights);
    const gap = Math.max(
      ...two.grads.map((g, i) => T.max(T.abs(T.sub(g.value, one.grads[i]!.value))).item()),
    );
    log(
      `${parallel.threads} threads: loss ${two.value.item().toFixed(12)} (one thread ${one.value.item().toFixed(12)}), largest gradient gap ${gap.toExponential(1)}`,
    );

    // Plain gradient descent on the weights; x and y go in whole each step, dataParallel cuts them.
    const first = two.value.item();
    let last = first;
    for (let step = 0; step < 30; step++) {
      const { value, grads } = parallel.valueAndGrad(x, y, ...weights);
      last = value.item();
      weights = weights.map((w, i) => T.sub(w, T.mul(grads[i + 2]!.value, 0.5)));
    }
    log(
      `30 steps of gradient descent on ${parallel.threads} threads: loss ${first.toFixed(4)} -> ${last.toFixed(4)}`,
    );
    return {
      threads: parallel.threads,
      loss: two.value.item(),
      lossOneThread: one.value.item(),
      gap,
      first,
      last,
    };
  } finally {
    await parallel.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
