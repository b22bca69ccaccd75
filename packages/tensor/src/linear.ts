import { allocateUninitialized } from './buffers.js';
import { fmtShape, ShapeError } from './errors.js';
import { matmulStrided } from './kernels/matmul.js';
import { sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * The affine map of a dense layer, x W^T + b (PyTorch's `nn.functional.linear`): x is [..., in],
 * W is [out, in], the optional b is [out], and the result is [..., out].
 *
 * One kernel call and one output array: W^T is read in place through its strides, and b is added
 * into the product where it lies, instead of the three ops (transpose, matmul, add) and two arrays
 * of `add(matmul(x, transpose(W)), b)`.
 */
export function linear(x: Tensor, w: Tensor, b?: Tensor): Tensor {
  const inp = x.shape[x.rank - 1];
  if (
    x.rank === 0 ||
    w.rank !== 2 ||
    w.shape[1] !== inp ||
    (b !== undefined && (b.rank !== 1 || b.shape[0] !== w.shape[0]))
  ) {
    const bias = b === undefined ? '' : ` + b ${fmtShape(b.shape)}`;
    throw new ShapeError(
      `linear: expected x [..., in], W [out, in] and b [out], got x ${fmtShape(x.shape)} @ W^T ${fmtShape(w.shape)}${bias}`,
    );
  }
  const out = w.shape[0]!;
  const rows = sizeOf(x.shape.slice(0, -1));
  // The leading dims of x as one dim of rows: free when x is contiguous, a copy otherwise.
  const x2 = x.rank === 2 ? x : x.reshape([rows, inp!]);
  const y = allocateUninitialized(rows * out);
  // A(i, p) = x2[i, p]; B(p, j) = W[j, p], so B's row stride is W's column stride. The kernel adds
  // b to each row (as it stores the entries, for the thin and narrow products of small layers).
  const [xs, ws] = [x2.strides, w.strides];
  const bias = b?.values();
  matmulStrided(
    x2.data,
    x2.offset,
    xs[0]!,
    xs[1]!,
    w.data,
    w.offset,
    ws[1]!,
    ws[0]!,
    y,
    0,
    rows,
    inp!,
    out,
    bias,
  );
  return Tensor.view(y, [...x.shape.slice(0, -1), out]);
}
