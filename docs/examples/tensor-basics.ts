/**
 * @resode/tensor in a few lines: creation, broadcasting, views that share storage, reductions,
 * matmul, the seeded RNG and the errors (docs/tensor.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/tensor-basics.ts
 */
import { pathToFileURL } from 'node:url';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log) {
  // Creation: nested arrays infer the shape; a flat array takes an explicit one.
  const a = T.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = T.tensor([10, 20, 30]);
  log(String(a));

  // Broadcasting (NumPy rules): b of shape [3] is added to every row of a [2, 3].
  const sum = T.add(a, b);
  log('a + b =', sum.toArray());

  // Views: transpose and slices share the storage of `a` (strides, no copy).
  const at = a.transpose();
  const col = a.slice([null, [1, 2]]); // column 1, shape [2, 1]
  const shares = at.data === a.data && col.data === a.data;
  log('a^T', at.toArray(), 'column 1', col.toArray(), 'shares storage:', shares);

  // Reductions over axes, with keepdims.
  const rowSums = T.sum(a, 1, { keepdims: true }); // [2, 1]
  const colMax = T.max(a, 0); // [3]
  log('row sums', rowSums.toArray(), 'column max', colMax.toArray());

  // matmul: 2-D, batched, 1-D operands as vectors.
  const gram = T.matmul(a, at); // [2, 2]
  log('a a^T =', gram.toArray());

  // linear(x, W, b) = x W^T + b, a dense layer in one kernel call (PyTorch's F.linear).
  const dense = T.linear(a, T.tensor([[1, 0, -1]]), T.tensor([10])); // [2, 1]
  log('linear(a, [[1, 0, -1]], [10]) =', dense.toArray());

  // A seeded generator: the same seed gives the same numbers.
  const x1 = T.randn([3], T.createRng(42)).toArray();
  const x2 = T.randn([3], T.createRng(42)).toArray();
  log('randn(seed 42) twice:', x1, x2);

  // Errors name the operation and both shapes.
  let message = '';
  try {
    T.matmul(a, a);
  } catch (e) {
    message = (e as Error).message;
  }
  log(message);

  return {
    sum: sum.toArray(),
    shares,
    rowSums: rowSums.toArray(),
    gram: gram.toArray(),
    dense: dense.toArray(),
    x1,
    x2,
    message,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
