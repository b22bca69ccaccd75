import { fmtShape, ShapeError } from './errors.js';
import { matmulKernel } from './kernels/matmul.js';
import { broadcastShapes, contiguousStrides, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * Matrix product with NumPy semantics: 2-D times 2-D; batched when either has rank > 2 (the
 * leading dims broadcast); a 1-D left operand is a row vector and a 1-D right one a column
 * vector, and that dim is dropped from the result.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(
      `matmul: operands must have rank >= 1, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  const a2 = a.rank === 1 ? a.reshape([1, a.shape[0]!]) : a;
  const b2 = b.rank === 1 ? b.reshape([b.shape[0]!, 1]) : b;
  const m = a2.shape[a2.rank - 2]!;
  const k = a2.shape[a2.rank - 1]!;
  const k2 = b2.shape[b2.rank - 2]!;
  const n = b2.shape[b2.rank - 1]!;
  if (k !== k2) {
    throw new ShapeError(
      `matmul: inner dims differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)} (${k} vs ${k2})`,
    );
  }
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2), 'matmul');
  const av = a2.broadcastTo([...batch, m, k]).values();
  const bBroadcast = b2.broadcastTo([...batch, k, n]);
  const out = new Float64Array(sizeOf(batch) * m * n);
  // A right operand shared by every batch (stride 0 over the batch) is read once, not copied per batch.
  const bShared = b2.rank === 2;
  const bv = bShared ? b2.values() : bBroadcast.values();
  for (let i = 0, nb = sizeOf(batch); i < nb; i++) {
    matmulKernel(av, i * m * k, bv, bShared ? 0 : i * k * n, out, i * m * n, m, k, n);
  }
  let shape = [...batch, m, n];
  if (a.rank === 1) shape = [...batch, n];
  if (b.rank === 1) shape = a.rank === 1 ? [...batch] : [...batch, m];
  return Tensor.view(out, shape, contiguousStrides(shape));
}
