import { allocateUninitialized } from './buffers.js';
import { fmtShape, ShapeError } from './errors.js';
import { matmulStrided } from './kernels/matmul.js';
import { contiguousStrides, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * Matrix product with NumPy semantics: 2-D times 2-D; batched when either has rank > 2 (the
 * leading dims broadcast); a 1-D left operand is a row vector and a 1-D right one a column
 * vector, and that dim is dropped from the result.
 *
 * No operand is copied: the kernel packs its blocks straight from each operand's strides, so a
 * transposed, sliced or broadcast view costs the same as a contiguous tensor.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(
      `matmul: operands must have rank >= 1, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  // A vector as a 1 x k row or a k x 1 column, as a view (stride 0 on the added dim).
  const a2 = a.rank === 1 ? Tensor.view(a.data, [1, a.shape[0]!], [0, a.strides[0]!], a.offset) : a;
  const b2 = b.rank === 1 ? Tensor.view(b.data, [b.shape[0]!, 1], [b.strides[0]!, 0], b.offset) : b;
  const m = a2.shape[a2.rank - 2]!;
  const k = a2.shape[a2.rank - 1]!;
  const k2 = b2.shape[b2.rank - 2]!;
  const n = b2.shape[b2.rank - 1]!;
  if (k !== k2) {
    throw new ShapeError(
      `matmul: inner dims differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)} (${k} vs ${k2})`,
    );
  }
  if (a.rank === 2 && b.rank === 2) {
    // The common case, without the batch machinery (it costs about a microsecond a call).
    const out = allocateUninitialized(m * n);
    const [as, bs] = [a.strides, b.strides];
    matmulStrided(a.data, a.offset, as[0]!, as[1]!, b.data, b.offset, bs[0]!, bs[1]!, out, 0, m, k, n);
    return Tensor.view(out, [m, n]);
  }
  const batch = broadcastBatch(a2.shape.slice(0, -2), b2.shape.slice(0, -2), a.shape, b.shape);
  const av = a2.broadcastTo([...batch, m, k]);
  const bv = b2.broadcastTo([...batch, k, n]);
  const out = allocateUninitialized(sizeOf(batch) * m * n);
  const nb = batch.length;
  const [aRow, aCol] = [av.strides[nb]!, av.strides[nb + 1]!];
  const [bRow, bCol] = [bv.strides[nb]!, bv.strides[nb + 1]!];
  // Walk the batch dims with an odometer, moving the two operand offsets by their batch strides.
  const idx = new Array<number>(nb).fill(0);
  let aOff = av.offset;
  let bOff = bv.offset;
  for (let i = 0, count = sizeOf(batch); i < count; i++) {
    matmulStrided(av.data, aOff, aRow, aCol, bv.data, bOff, bRow, bCol, out, i * m * n, m, k, n);
    for (let d = nb - 1; d >= 0; d--) {
      idx[d]!++;
      aOff += av.strides[d]!;
      bOff += bv.strides[d]!;
      if (idx[d]! < batch[d]!) break;
      aOff -= av.strides[d]! * batch[d]!;
      bOff -= bv.strides[d]! * batch[d]!;
      idx[d] = 0;
    }
  }
  let shape = [...batch, m, n];
  if (a.rank === 1) shape = [...batch, n];
  if (b.rank === 1) shape = a.rank === 1 ? [...batch] : [...batch, m];
  return Tensor.view(out, shape, contiguousStrides(shape));
}

/** The broadcast of the batch (leading) dims, with an error that names the operands' full shapes. */
function broadcastBatch(
  x: readonly number[],
  y: readonly number[],
  aShape: readonly number[],
  bShape: readonly number[],
): number[] {
  const nd = Math.max(x.length, y.length);
  const out = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    const dx = x[x.length - nd + i] ?? 1;
    const dy = y[y.length - nd + i] ?? 1;
    if (dx !== dy && dx !== 1 && dy !== 1) {
      throw new ShapeError(
        `matmul: batch dims ${fmtShape(x)} and ${fmtShape(y)} of ${fmtShape(aShape)} @ ${fmtShape(bShape)} cannot be broadcast together`,
      );
    }
    out[i] = dx === 1 ? dy : dx;
  }
  return out;
}
