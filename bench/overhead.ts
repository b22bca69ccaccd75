/**
 * The cost of the tape: time per op on tiny tensors (two [2] vectors), where the arithmetic is
 * negligible and what is measured is autograd's bookkeeping. A chain of `n` ops y <- op(y, c)
 * (c a constant) is timed
 *   - on bare Tensors, forward only, and forward + a hand-written backward doing the same tensor
 *     arithmetic as the op's VJP rule (the baselines: no autograd at all);
 *   - on Vars inside noGrad (autograd's dispatch, no tape);
 *   - on Vars that require grad (the tape is recorded);
 *   - recorded and then differentiated by grad (forward + backward).
 * tape = recorded - bare forward; autograd = (forward + backward) - (bare forward + backward).
 * Each figure is the best of several interleaved rounds (the machine may be shared).
 * Run: pnpm bench:build && node bench/dist/overhead.js [--quick]
 * (compiled, under plain Node, as `pnpm bench` runs it; `pnpm exec tsx --conditions=resode-source
 * bench/overhead.ts` runs the source, slower: see packages/tensor/src/kernels/matmul.ts)
 */
import { fileURLToPath } from 'node:url';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

export type OpOverhead = {
  op: string;
  /** µs per op on Tensors, forward only, without autograd. */
  tensorUs: number;
  /** µs per op on Tensors, forward and a hand-written backward (the VJP rule's arithmetic). */
  tensorBackwardUs: number;
  /** µs per op on Vars inside noGrad. */
  noGradUs: number;
  /** µs per op on Vars with the tape recorded. */
  forwardUs: number;
  /** µs per op for forward (recorded) + backward, via grad. */
  forwardBackwardUs: number;
  /** forwardUs - tensorUs: what recording costs beside the arithmetic. */
  tapeUs: number;
  /** forwardBackwardUs - tensorBackwardUs: autograd's whole cost per op beside the arithmetic. */
  autogradUs: number;
};

type OpCase = {
  op: string;
  /** One forward step on Var. */
  onVar: (y: A.Var, c: A.Var) => A.Var;
  /** One forward step on Tensors. */
  onTensor: (y: T.Tensor, c: T.Tensor) => T.Tensor;
  /** The same chain on Tensors with its backward pass written by hand (the rule's arithmetic). */
  byHand: (x: T.Tensor, c: T.Tensor, n: number) => T.Tensor;
};

const ones = T.ones([2]);

const cases: OpCase[] = [
  {
    op: 'add',
    onVar: A.add,
    onTensor: T.add,
    byHand: (x, c, n) => {
      let y = x;
      for (let i = 0; i < n; i++) y = T.add(y, c);
      return ones; // d(y + c)/dy = 1: the cotangent passes through unchanged
    },
  },
  {
    op: 'mul',
    onVar: A.mul,
    onTensor: T.mul,
    byHand: (x, c, n) => {
      let y = x;
      for (let i = 0; i < n; i++) y = T.mul(y, c);
      let g = ones;
      for (let i = 0; i < n; i++) g = T.mul(g, c);
      return g;
    },
  },
  {
    op: 'tanh',
    onVar: (y) => A.tanh(y),
    onTensor: (y) => T.tanh(y),
    byHand: (x, _, n) => {
      const outs: T.Tensor[] = [];
      let y = x;
      for (let i = 0; i < n; i++) outs.push((y = T.tanh(y)));
      let g = ones;
      for (let i = n - 1; i >= 0; i--) g = T.tanhGrad(g, outs[i]!); // g (1 - y^2), as the VJP rule
      return g;
    },
  },
];

/**
 * Times the variants in interleaved rounds (so that load from other processes hits them alike)
 * and returns, per variant, the best round's time per op in µs. A round repeats the n-op chain
 * `reps` times, long enough (tens of ms) to include its share of garbage collection.
 */
function bestTimes(variants: (() => void)[], opsPerCall: number, reps: number, rounds: number): number[] {
  for (const v of variants) for (let i = 0; i < reps; i++) v(); // warm up the JIT
  const best = variants.map(() => Number.POSITIVE_INFINITY);
  for (let r = 0; r < rounds; r++) {
    variants.forEach((v, k) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < reps; i++) v();
      const us = Number(process.hrtime.bigint() - t0) / 1e3 / (reps * opsPerCall);
      best[k] = Math.min(best[k]!, us);
    });
  }
  return best;
}

function measure({ op, onVar, onTensor, byHand }: OpCase, quick: boolean): OpOverhead {
  const n = 1000;
  const x = T.tensor([0.5, -0.25]);
  const c = T.tensor([0.999, 1.001]);
  const cv = A.constant(c);
  const chain = (y: A.Var): A.Var => {
    for (let i = 0; i < n; i++) y = onVar(y, cv);
    return y;
  };
  const g = A.grad((y) => A.sum(chain(y)));
  const [tensorUs, tensorBackwardUs, noGradUs, forwardUs, forwardBackwardUs] = bestTimes(
    [
      () => {
        let y = x;
        for (let i = 0; i < n; i++) y = onTensor(y, c);
      },
      () => byHand(x, c, n),
      () => A.noGrad(() => chain(A.constant(x))),
      () => chain(A.variable(x)),
      () => g(x),
    ],
    n,
    quick ? 5 : 20,
    quick ? 5 : 15,
  ) as [number, number, number, number, number];
  return {
    op,
    tensorUs,
    tensorBackwardUs,
    noGradUs,
    forwardUs,
    forwardBackwardUs,
    tapeUs: forwardUs - tensorUs,
    autogradUs: forwardBackwardUs - tensorBackwardUs,
  };
}

/** Per-op overhead of autograd for add, mul and tanh on [2] tensors. */
export function benchOverhead({ quick = false }: { quick?: boolean } = {}): OpOverhead[] {
  return cases.map((c) => measure(c, quick));
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const rows = benchOverhead({ quick });
  const cols: [string, keyof OpOverhead][] = [
    ['tensor fwd', 'tensorUs'],
    ['tensor f+b', 'tensorBackwardUs'],
    ['noGrad', 'noGradUs'],
    ['recorded', 'forwardUs'],
    ['grad f+b', 'forwardBackwardUs'],
    ['tape', 'tapeUs'],
    ['autograd', 'autogradUs'],
  ];
  console.log('µs per op on [2] tensors (best of interleaved rounds of 1000-op chains)');
  console.log(`op    ${cols.map(([h]) => h.padStart(11)).join('')}`);
  for (const r of rows) {
    console.log(`${r.op.padEnd(6)}${cols.map(([, k]) => (r[k] as number).toFixed(3).padStart(11)).join('')}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
