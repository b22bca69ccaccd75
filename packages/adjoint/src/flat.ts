/**
 * Lists of tensors as one flat vector: optimisers and the adjoint's augmented state work on a
 * single Float64Array, and split it back into the original shapes at the end.
 */
import { fmtShape, ShapeError, Tensor } from '@resode/tensor';

/** All the tensors' elements, one after the other, in row-major order. */
export function flatten(xs: readonly Tensor[]): Float64Array {
  const out = new Float64Array(xs.reduce((n, x) => n + x.size, 0));
  let o = 0;
  for (const x of xs) {
    out.set(x.values(), o);
    o += x.size;
  }
  return out;
}

/** The inverse of flatten: tensors of the given shapes (views of copies of `v`'s pieces). */
export function unflatten(v: Float64Array, shapes: readonly (readonly number[])[]): Tensor[] {
  const total = shapes.reduce((n, s) => n + s.reduce((a, d) => a * d, 1), 0);
  if (total !== v.length) {
    throw new ShapeError(
      `unflatten: a vector of length ${v.length} does not fill the shapes ${shapes.map(fmtShape).join(', ')} (${total} elements)`,
    );
  }
  let o = 0;
  return shapes.map((s) => {
    const n = s.reduce((a, d) => a * d, 1);
    const t = Tensor.view(v.slice(o, o + n), s);
    o += n;
    return t;
  });
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm2(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

export function normInf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** x + s * d, as a new vector. */
export function axpy(x: Float64Array, s: number, d: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! + s * d[i]!;
  return out;
}

export function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}
