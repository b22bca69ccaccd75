import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { tanh } from '../src/kernels/tanh.js';
import {
  broadcastShape,
  broadcastShapesArb,
  type Data,
  dataArb,
  dataOf,
  expectSameValues,
  shapeArb,
  tile,
  toTensor,
  value,
} from './helpers.js';

/** Every broadcasting binary op beside its scalar definition, written independently. */
const binaryOps: [
  string,
  (x: T.TensorLike, y: T.TensorLike) => T.Tensor,
  (a: number, b: number) => number,
][] = [
  ['add', T.add, (a, b) => a + b],
  ['sub', T.sub, (a, b) => a - b],
  ['mul', T.mul, (a, b) => a * b],
  ['div', T.div, (a, b) => a / b],
  ['pow', T.pow, (a, b) => a ** b],
  ['maximum', T.maximum, (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b))],
  ['minimum', T.minimum, (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b))],
  ['atan2', T.atan2, Math.atan2],
  ['greater', T.greater, (a, b) => Number(a > b)],
  ['greaterEqual', T.greaterEqual, (a, b) => Number(a >= b)],
  ['less', T.less, (a, b) => Number(a < b)],
  ['lessEqual', T.lessEqual, (a, b) => Number(a <= b)],
  ['equal', T.equal, (a, b) => Number(a === b)],
];

const unaryOps: [string, (x: T.Tensor) => T.Tensor, (a: number) => number][] = [
  ['neg', T.neg, (a) => -a],
  ['exp', T.exp, Math.exp],
  ['log', T.log, Math.log],
  ['sqrt', T.sqrt, Math.sqrt],
  ['abs', T.abs, Math.abs],
  ['sin', T.sin, Math.sin],
  ['cos', T.cos, Math.cos],
  ['tanh', T.tanh, tanh], // its own kernel, tested against Math.tanh and reference values in tanh.test.ts
  ['relu', T.relu, (a) => Math.max(a, 0)], // NaN propagates, as in PyTorch
  ['sign', T.sign, (a) => (a === 0 ? a : Math.sign(a))],
  ['square', T.square, (a) => a * a],
  ['reciprocal', T.reciprocal, (a) => 1 / a],
  ['step', T.step, (a) => (a > 0 ? 1 : 0)],
  ['copy', T.copy, (a) => a],
];

const pairArb = broadcastShapesArb(2).chain(([sa, sb]) => fc.tuple(dataOf(sa!), dataOf(sb!)));

describe('broadcasting agrees with explicit tiling', () => {
  for (const [name, op, scalar] of binaryOps) {
    test(name, () => {
      fc.assert(
        fc.property(pairArb, ([a, b]) => {
          const shape = broadcastShape(a.shape, b.shape);
          const out = op(toTensor(a), toTensor(b));
          expect(out.shape).toEqual(shape);
          const ta = tile(a, shape);
          const tb = tile(b, shape);
          expectSameValues(
            out.values(),
            ta.map((x, i) => scalar(x, tb[i]!)),
          );
        }),
        { numRuns: 60 },
      );
    });
  }

  test('number operands broadcast as scalars', () => {
    fc.assert(
      fc.property(dataArb(), value, (a, s) => {
        for (const [, op, scalar] of binaryOps) {
          expectSameValues(
            op(toTensor(a), s).values(),
            a.values.map((x) => scalar(x, s)),
          );
          expectSameValues(
            op(s, toTensor(a)).values(),
            a.values.map((x) => scalar(s, x)),
          );
        }
      }),
      { numRuns: 50 },
    );
  });

  test('where broadcasts its three operands', () => {
    const triple = broadcastShapesArb(3).chain(([c, x, y]) =>
      fc.tuple(dataOf(c!, fc.integer({ min: 0, max: 2 })), dataOf(x!), dataOf(y!)),
    );
    fc.assert(
      fc.property(triple, ([c, x, y]) => {
        const shape = broadcastShape(broadcastShape(c.shape, x.shape), y.shape);
        const out = T.where(toTensor(c), toTensor(x), toTensor(y));
        expect(out.shape).toEqual(shape);
        const tc = tile(c, shape);
        const tx = tile(x, shape);
        const ty = tile(y, shape);
        expectSameValues(
          out.values(),
          tc.map((ci, i) => (ci !== 0 ? tx[i]! : ty[i]!)),
        );
      }),
      { numRuns: 100 },
    );
  });

  test('where selects without arithmetic (NaN and infinities in the unselected branch do not leak)', () => {
    const out = T.where(T.tensor([1, 0, 1]), T.tensor([1, Number.NaN, 3]), Number.POSITIVE_INFINITY);
    expect(out.toArray()).toEqual([1, Number.POSITIVE_INFINITY, 3]);
  });
});

/** A random non-contiguous view of a fresh tensor, with a label for failure messages. */
type ViewCase = { label: string; view: T.Tensor };

const viewArb: fc.Arbitrary<ViewCase> = fc.oneof(
  // transposed / permuted
  dataArb({ minRank: 2, maxRank: 4 }).chain((d) =>
    fc
      .shuffledSubarray(
        d.shape.map((_, i) => i),
        { minLength: d.shape.length, maxLength: d.shape.length },
      )
      .map((perm) => ({ label: `permute ${JSON.stringify(d)} by ${perm}`, view: toTensor(d).permute(perm) })),
  ),
  // sliced with steps
  dataArb({ minRank: 1, maxRank: 3, maxDim: 7 }).chain((d) =>
    fc
      .tuple(
        ...d.shape.map((n) =>
          fc.tuple(
            fc.integer({ min: -n, max: n }),
            fc.integer({ min: -n, max: n }),
            fc.integer({ min: 1, max: 3 }),
          ),
        ),
      )
      .map((ranges) => ({
        label: `slice ${JSON.stringify(d)} by ${JSON.stringify(ranges)}`,
        view: toTensor(d).slice(ranges),
      })),
  ),
  // broadcast
  dataArb({ minRank: 0, maxRank: 2 }).chain((d) =>
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([p, q]) => {
      const shape = [p, ...d.shape.map((s) => (s === 1 ? q : s))];
      return { label: `broadcast ${JSON.stringify(d)} to ${shape}`, view: toTensor(d).broadcastTo(shape) };
    }),
  ),
);

describe('elementwise on non-contiguous views equals the op on contiguous copies', () => {
  test('unary ops', () => {
    fc.assert(
      fc.property(viewArb, ({ view }) => {
        const copy = view.clone();
        expect(copy.isContiguous).toBe(true);
        for (const [, op, scalar] of unaryOps) {
          const out = op(view);
          expect(out.shape).toEqual(view.shape);
          expectSameValues(out.values(), op(copy).values());
          expectSameValues(out.values(), Array.from(copy.values(), scalar));
        }
      }),
      { numRuns: 150 },
    );
  });

  test('binary ops: view with view, with contiguous, with a broadcast scalar', () => {
    // y: a permuted (non-contiguous) tensor of the same shape as the view x.
    const pair = viewArb.chain(({ view }) =>
      dataOf([...view.shape].reverse()).map((d) => ({ x: view, y: toTensor(d).permute() })),
    );
    fc.assert(
      fc.property(pair, ({ x, y }) => {
        const xc = x.clone();
        const yc = y.clone();
        const s = T.tensor(1.5).broadcastTo(x.shape);
        for (const [, op] of binaryOps) {
          const expected = op(xc, yc).values();
          expectSameValues(op(x, y).values(), expected);
          expectSameValues(op(x, yc).values(), expected);
          expectSameValues(op(xc, y).values(), expected);
          expectSameValues(op(x, s).values(), op(xc, 1.5).values());
          expectSameValues(op(s, x).values(), op(1.5, xc).values());
        }
        expectSameValues(T.where(x, y, xc).values(), T.where(xc, yc, xc).values());
      }),
      { numRuns: 150 },
    );
  });

  test('views of views: a transposed slice of a broadcast', () => {
    const x = T.arange(12).reshape([3, 4]);
    const v = x
      .broadcastTo([2, 3, 4])
      .slice([null, [0, 3, 2], [1, 4, 2]])
      .permute([2, 0, 1]);
    expect(v.shape).toEqual([2, 2, 2]);
    expect(T.mul(v, 2).toArray()).toEqual([
      [
        [2, 18],
        [2, 18],
      ],
      [
        [6, 22],
        [6, 22],
      ],
    ]);
  });
});

describe('unary ops', () => {
  test('match their scalar definitions', () => {
    fc.assert(
      fc.property(dataArb(), (d: Data) => {
        for (const [, op, scalar] of unaryOps)
          expectSameValues(op(toTensor(d)).values(), d.values.map(scalar));
      }),
      { numRuns: 50 },
    );
  });

  test('sigmoid and softplus are stable and match the formulas where those are finite', () => {
    const xs = [-800, -30, -1, 0, 1, 30, 800];
    const s = T.sigmoid(T.tensor(xs)).values();
    const sp = T.softplus(T.tensor(xs)).values();
    xs.forEach((x, i) => {
      expect(Number.isFinite(s[i]!)).toBe(true);
      expect(Number.isFinite(sp[i]!)).toBe(true);
      if (Math.abs(x) <= 30) {
        expect(s[i]).toBeCloseTo(1 / (1 + Math.exp(-x)), 14);
        expect(sp[i]).toBeCloseTo(Math.log(1 + Math.exp(x)), 12);
      }
    });
    expect(s[0]).toBe(0);
    expect(s[6]).toBe(1);
    expect(sp[6]).toBe(800);
  });

  test('map applies a function and keeps the shape; empty shapes work', () => {
    expect(T.map(T.tensor([[1, 2]]), (v) => v * 10).toArray()).toEqual([[10, 20]]);
    expect(T.exp(T.zeros([2, 0])).shape).toEqual([2, 0]);
    expect(T.add(T.zeros([0, 3]), T.ones([3])).shape).toEqual([0, 3]);
  });

  test('shapeArb sanity: rank-0 tensors go through every op', () => {
    fc.assert(
      fc.property(shapeArb({ maxRank: 0 }), value, (_s, v) => {
        expect(T.add(T.tensor(v), 1).item()).toBe(v + 1);
      }),
      { numRuns: 10 },
    );
  });
});

describe('NaN is never hidden', () => {
  test('relu(NaN) is NaN, as in PyTorch', () => {
    expect(T.relu(T.tensor([Number.NaN, -1, 2])).toArray()).toEqual([Number.NaN, 0, 2]);
  });
});
