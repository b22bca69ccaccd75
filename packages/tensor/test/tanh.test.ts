import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { tanh } from '../src/kernels/tanh.js';

/** Distance in units in the last place: how many float64 values lie between a and b. */
function ulps(a: number, b: number): number {
  const bits = (x: number) => {
    const v = new DataView(new ArrayBuffer(8));
    v.setFloat64(0, x);
    const i = v.getBigInt64(0);
    return i < 0n ? -(i & 0x7fffffffffffffffn) : i; // a monotone integer order, -0 next to +0
  };
  const d = bits(a) - bits(b);
  return Number(d < 0n ? -d : d);
}

/** [x, tanh x correctly rounded], from a 60-digit evaluation of (e^2x - 1) / (e^2x + 1) (Python decimal). */
const reference: [number, number][] = [
  [1e-300, 1e-300],
  [-5e-324, -5e-324],
  [1e-20, 1e-20],
  [-3.7e-9, -3.7e-9],
  [1e-5, 9.999999999666668e-6],
  [0.01, 0.00999966667999946],
  [-0.1, -0.09966799462495582],
  [0.17328679513998632, 0.1715728752538099], // ln2 / 4: where k = round(2x / ln2) turns from 0 to 1
  [0.25, 0.24491866240370913],
  [-0.3, -0.2913126124515909],
  [0.5, 0.46211715726000974],
  [0.5265155782516633, 0.482713078975912],
  [-0.7, -0.6043677771171635],
  [1, 0.7615941559557649],
  [-1.5, -0.9051482536448664],
  [2, 0.9640275800758169],
  [3.25, 0.996997635486526],
  [-5, -0.9999092042625951],
  [8.5, 0.999999917201249],
  [12, 0.9999999999244973],
  [-18.9, -0.9999999999999999],
  [19.2, 1],
  // Halfway between table nodes j/64, where |b| = 1/128 is largest.
  [0.0078125, 0.007812341058161014],
  [0.5078125, 0.4682390538003662],
  [7.0078125, 0.9999983627272179],
  [-12.9921875, -0.9999999999896209],
  [17.1171875, 0.9999999999999973],
  [0.0390625, 0.03904264390418592],
  // Nodes and near-nodes of a coarser table (j/32 and halfway between), kept as further points.
  [0.015625, 0.015623728558408866],
  [-0.046875, -0.04684069787264808],
  [0.515625, 0.4743163252573667],
  [7.015625, 0.9999983881107591],
  [-12.984375, -0.9999999999894574],
  [0.0234375, 0.023433209408330664],
  [0.03125, 0.031239831446031256],
  [17.109375, 0.9999999999999972],
];

describe('tanh kernel (table + addition formula)', () => {
  test('within 1 ulp of correctly rounded reference values', () => {
    for (const [x, expected] of reference)
      expect(ulps(tanh(x), expected), `tanh(${x})`).toBeLessThanOrEqual(1);
  });

  test('exact at the table nodes j/64 (there b = 0 and the result is the table entry)', () => {
    for (const [x, expected] of reference)
      if (Number.isInteger(x * 64)) expect(tanh(x), `tanh(${x})`).toBe(expected);
  });

  test('within 3 ulp of Math.tanh (itself up to 2 ulp off) over a wide range, tiny |x| included', () => {
    const moderate = fc.double({ min: -25, max: 25, noNaN: true });
    const tiny = fc
      .tuple(fc.double({ min: -300, max: -1, noNaN: true }), fc.boolean())
      .map(([e, neg]) => (neg ? -1 : 1) * 10 ** e);
    fc.assert(
      fc.property(fc.oneof(moderate, tiny), (x) => {
        expect(ulps(tanh(x), Math.tanh(x))).toBeLessThanOrEqual(3);
      }),
      { numRuns: 2000 },
    );
  });

  test('special values: signed zeros, infinities, NaN, huge arguments', () => {
    expect(Object.is(tanh(0), 0)).toBe(true);
    expect(Object.is(tanh(-0), -0)).toBe(true);
    expect(tanh(Infinity)).toBe(1);
    expect(tanh(-Infinity)).toBe(-1);
    expect(tanh(1e308)).toBe(1);
    expect(tanh(-700)).toBe(-1);
    expect(tanh(Number.NaN)).toBeNaN();
    expect(tanh(Number.MIN_VALUE)).toBe(Number.MIN_VALUE);
  });

  test('T.tanh applies it elementwise, on contiguous tensors and on views', () => {
    const x = T.linspace(-6, 6, 97);
    const expected = Array.from(x.values(), tanh);
    expect(Array.from(T.tanh(x).values())).toEqual(expected);
    const view = x.reshape([97, 1]).broadcastTo([97, 3]).transpose();
    expect(Array.from(T.tanh(view).values())).toEqual([...expected, ...expected, ...expected]);
  });

  test('tanhGrad(g, y) = g (1 - y^2), with broadcasting', () => {
    const g = T.tensor([[1, -2, 0.5]]);
    const y = T.tensor([[0.5], [-0.25]]);
    const out = T.tanhGrad(g, y);
    expect(out.shape).toEqual([2, 3]);
    expect(out.toArray()).toEqual([
      [0.75, -1.5, 0.375],
      [0.9375, -1.875, 0.46875],
    ]);
  });
});
