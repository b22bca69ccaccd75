/**
 * Random differentiable programs: fast-check generates small expression trees (plain objects, so
 * a shrunk counterexample prints as a readable formula) over primitives and composites, which
 * `evaluate` turns into a function of the variables
 *   x0 [2, 3], x1 [3], x2 [2, 1] (broadcasting together to [2, 3]) and W [3, 3].
 * Every intermediate value has a shape that broadcasts to [2, 3], so any two subtrees combine.
 * Ops that could leave their domain are guarded by a smooth map (log(1 + a^2), a / (1 + b^2),
 * exp(tanh a), ...), and kinks (abs, relu, max) are left out: finite differences must be valid
 * at every generated point.
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { type TensorData, valuesOf } from './arbitraries.js';

export const VARIABLE_SHAPES = [[2, 3], [3], [2, 1], [3, 3]] as const;
export const FULL = [2, 3];

const unaryOps = {
  neg: (a: A.Var) => A.neg(a),
  sin: (a: A.Var) => A.sin(a),
  cos: (a: A.Var) => A.cos(a),
  tanh: (a: A.Var) => A.tanh(a),
  sigmoid: (a: A.Var) => A.sigmoid(a),
  softplus: (a: A.Var) => A.softplus(a),
  square: (a: A.Var) => A.square(a),
  expTanh: (a: A.Var) => A.exp(A.tanh(a)),
  log1pSquare: (a: A.Var) => A.log(A.add(1, A.square(a))),
  sqrt1pSquare: (a: A.Var) => A.sqrt(A.add(1, A.square(a))),
  /** Moves the columns around with views: slice, concat, reshape, transpose, stack, index, gather. */
  shuffle: (a: A.Var) => {
    const x = A.broadcastTo(a, FULL);
    const rotated = A.concat([A.slice(x, [null, [1, 3]]), A.slice(x, [null, [0, 1]])], 1);
    const folded = A.reshape(A.transpose(A.reshape(A.permute(rotated, [1, 0]), [2, 3])), [2, 3]);
    return A.index(A.stack([A.gather(folded, [1, 0], 0), x]), 0);
  },
  matmulW: (a: A.Var, W: A.Var) => A.matmul(A.broadcastTo(a, FULL), W),
  matmulWt: (a: A.Var, W: A.Var) => A.matmul(A.broadcastTo(a, FULL), A.transpose(W)),
  crossEntropy: (a: A.Var) => A.crossEntropy(A.broadcastTo(a, FULL), [0, 2]),
  mse: (a: A.Var) => A.mse(a, T.tensor([0.5, -0.5, 0.25])),
};

const binaryOps = {
  add: (a: A.Var, b: A.Var) => A.add(a, b),
  sub: (a: A.Var, b: A.Var) => A.sub(a, b),
  mul: (a: A.Var, b: A.Var) => A.mul(a, b),
  safeDiv: (a: A.Var, b: A.Var) => A.div(a, A.add(1, A.square(b))),
  safePow: (a: A.Var, b: A.Var) => A.pow(A.add(1, A.sigmoid(a)), A.tanh(b)),
  where: (a: A.Var, b: A.Var) => A.where(T.tensor([1, 0, 1]), a, b),
};

const atLeast1d = (a: A.Var) => (a.rank === 0 ? A.reshape(a, [1]) : a);

const reduceOps = {
  sum: (a: A.Var, axis: number | undefined) => A.sum(a, axis, { keepdims: true }),
  mean: (a: A.Var, axis: number | undefined) => A.mean(a, axis, { keepdims: true }),
  logsumexp: (a: A.Var, axis: number | undefined) => A.logsumexp(a, axis, { keepdims: true }),
  softmax: (a: A.Var, axis: number | undefined) => A.softmax(atLeast1d(a), axis ?? -1),
  logSoftmax: (a: A.Var, axis: number | undefined) => A.logSoftmax(atLeast1d(a), axis ?? -1),
};

export type Tree =
  | { op: 'x'; i: 0 | 1 | 2 }
  | { op: 'const'; value: number }
  | { op: keyof typeof unaryOps; a: Tree }
  | { op: keyof typeof binaryOps; a: Tree; b: Tree }
  | { op: keyof typeof reduceOps; a: Tree; axis: number };

const keys = <O extends object>(o: O) => Object.keys(o) as (keyof O)[];

const unaryNode = (a: fc.Arbitrary<Tree>) => fc.record({ op: fc.constantFrom(...keys(unaryOps)), a });
const binaryNode = (a: fc.Arbitrary<Tree>) => fc.record({ op: fc.constantFrom(...keys(binaryOps)), a, b: a });
const reduceNode = (a: fc.Arbitrary<Tree>) =>
  fc.record({ op: fc.constantFrom(...keys(reduceOps)), a, axis: fc.integer({ min: 0, max: 2 }) });

/** Expression trees of depth at most `maxDepth`, with an op at the root. */
export function treeArb(maxDepth = 4): fc.Arbitrary<Tree> {
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'medium', maxDepth, withCrossShrink: true },
      // Leaves first: fast-check picks the first option more often as the depth grows.
      {
        weight: 2,
        arbitrary: fc.record({
          op: fc.constant('x' as const),
          i: fc.constantFrom(0 as const, 1 as const, 2 as const),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          op: fc.constant('const' as const),
          value: fc.double({ min: -1, max: 1, noNaN: true }),
        }),
      },
      { weight: 3, arbitrary: unaryNode(tie('tree')) },
      { weight: 3, arbitrary: binaryNode(tie('tree')) },
      { weight: 2, arbitrary: reduceNode(tie('tree')) },
    ),
  }));
  return fc.oneof(unaryNode(tree), binaryNode(tree), reduceNode(tree));
}

/** The tree as a function of [x0, x1, x2, W]. */
export function evaluate(tree: Tree): (...xs: A.Var[]) => A.Var {
  const run = (t: Tree, xs: A.Var[]): A.Var => {
    switch (t.op) {
      case 'x':
        return xs[t.i]!;
      case 'const':
        return A.constant(t.value);
      default:
        if ('b' in t) return binaryOps[t.op](run(t.a, xs), run(t.b, xs));
        if ('axis' in t) {
          const a = run(t.a, xs);
          // axis 2 (or a scalar) reduces over everything.
          return reduceOps[t.op](a, t.axis < a.rank ? t.axis : undefined);
        }
        return unaryOps[t.op](run(t.a, xs), xs[3]!);
    }
  };
  return (...xs) => run(tree, xs);
}

/** A readable formula for a tree. */
export function show(t: Tree): string {
  if (t.op === 'x') return `x${t.i}`;
  if (t.op === 'const') return String(t.value);
  if ('b' in t) return `${t.op}(${show(t.a)}, ${show(t.b)})`;
  if ('axis' in t) return `${t.op}(${show(t.a)}, axis ${t.axis})`;
  return `${t.op}(${show(t.a)})`;
}

/** Values of the four variables in [-2, 2]. */
export const variablesArb: fc.Arbitrary<TensorData[]> = fc.tuple(
  ...VARIABLE_SHAPES.map((s) => valuesOf([...s])),
);
