/** Shared fixtures of the ODE gradient tests: small random vector fields and comparisons. */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

export type Field = (t: number, y: A.Var, params: A.Var[]) => A.Var;

/** Three families of fields on states [batch, d], each with its parameters. */
export function randomField(seed: number, d: number): { f: Field; params: T.Tensor[]; kind: string } {
  const rng = T.createRng(seed);
  const kind = ['mlp', 'linear-sin', 'time-dependent'][seed % 3]!;
  const W = T.mul(T.randn([d, d], rng), 0.8 / Math.sqrt(d));
  const b = T.mul(T.randn([d], rng), 0.5);
  if (kind === 'mlp') {
    const V = T.mul(T.randn([d, 2 * d], rng), 0.8 / Math.sqrt(d));
    const U = T.mul(T.randn([2 * d, d], rng), 0.8 / Math.sqrt(2 * d));
    return { kind, params: [V, b, U], f: (_t, y, [V, b, U]) => A.tanh(A.matmul(y, V!)).matmul(U!).add(b!) };
  }
  if (kind === 'linear-sin') {
    return { kind, params: [W, b], f: (_t, y, [W, b]) => A.matmul(y, W!).add(A.sin(A.add(y, b!))) };
  }
  return {
    kind,
    params: [W, b],
    f: (t, y, [W, b]) =>
      A.tanh(A.matmul(y, W!).add(b!))
        .mul(Math.cos(2 * t))
        .sub(y.mul(0.1)),
  };
}

/** A loss that uses every output time, nonlinearly. */
export const lossOf = (ys: A.Var): A.Var =>
  A.sum(A.square(ys))
    .mul(0.5)
    .add(A.sum(A.sin(ys)));

/** |a - b| / |b| in the Euclidean norm over all entries. */
export function relativeError(a: T.Tensor, b: T.Tensor): number {
  const diff = Math.sqrt(T.sum(T.square(T.sub(a, b))).item());
  return diff / Math.max(1e-300, Math.sqrt(T.sum(T.square(b)).item()));
}

/** Sorted distinct output times in [0, span], starting at 0. */
export function outputTimes(seed: number, count: number, span: number): number[] {
  const rng = T.createRng(seed);
  const inner = Array.from(T.rand([count - 2], rng, 0.05, 0.95).values()).sort((a, b) => a - b);
  return [0, ...inner.map((u) => u * span), span];
}
