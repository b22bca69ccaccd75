import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

const seedArb = fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 });

describe('Rng', () => {
  test('is reproducible from its seed', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const a = T.createRng(seed);
        const b = T.createRng(seed);
        const xs = Array.from({ length: 20 }, () => [a.uniform(), a.normal(), a.nextUint32()]);
        const ys = Array.from({ length: 20 }, () => [b.uniform(), b.normal(), b.nextUint32()]);
        expect(xs).toEqual(ys);
        expect(T.randn([3, 2], T.createRng(seed)).toArray()).toEqual(
          T.randn([3, 2], T.createRng(seed)).toArray(),
        );
      }),
      { numRuns: 50 },
    );
  });

  test('different seeds give different streams', () => {
    fc.assert(
      fc.property(seedArb, seedArb, (s, t) => {
        fc.pre(s !== t);
        const a = T.createRng(s);
        const b = T.createRng(t);
        const xs = Array.from({ length: 4 }, () => a.nextUint32());
        const ys = Array.from({ length: 4 }, () => b.nextUint32());
        expect(xs).not.toEqual(ys);
      }),
      { numRuns: 200 },
    );
    // seeds that differ only in the high word or in sign
    const first = (seed: number) => T.createRng(seed).uniform();
    const seeds = [0, 1, -1, 2, -2, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), 2 ** 33, 2 ** 52, 2 ** 53 - 1, 12345];
    expect(new Set(seeds.map(first)).size).toBe(seeds.length);
  });

  test('fillUint32 gives the numbers of nextUint32, and leaves the generator where they would', () => {
    fc.assert(
      fc.property(seedArb, fc.nat(40), fc.nat(3), (seed, n, before) => {
        const a = T.createRng(seed);
        const b = T.createRng(seed);
        for (let i = 0; i < before; i++) [a.normal(), b.normal()];
        const bulk = Array.from(a.fillUint32(new Uint32Array(n)));
        const oneByOne = Array.from({ length: n }, () => b.nextUint32());
        expect(bulk).toEqual(oneByOne);
        expect([a.nextUint32(), a.uniform()]).toEqual([b.nextUint32(), b.uniform()]);
      }),
      { numRuns: 100 },
    );
  });

  test('seeds below 2^32 keep the streams they had (recorded values)', () => {
    expect(T.createRng(1).uniform()).toBe(0.5686059948349658);
    expect(T.createRng(0).uniform()).toBe(0.8868539502021594);
  });

  test('uniform lies in [0, 1) with mean 1/2 and variance 1/12 within 5 standard errors', () => {
    const n = 100_000;
    const x = T.rand([n], T.createRng(2024)).values();
    let min = 1;
    let max = 0;
    let s = 0;
    for (const v of x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      s += v;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    let ss = 0;
    for (const v of x) ss += (v - mean) ** 2;
    // Var of the sample variance of U(0,1): (mu4 - sigma^4) / n = (1/80 - 1/144) / n
    expect(Math.abs(ss / (n - 1) - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / n));
    // rand with bounds
    const y = T.rand([1000], T.createRng(1), -2, 3).values();
    expect(y.every((v) => v >= -2 && v < 3)).toBe(true);
  });

  test('normal samples: mean 0 and variance 1 within 5 standard errors (n = 1e5), symmetric tails', () => {
    for (const seed of [1, 77, -5]) {
      const n = 100_000;
      const x = T.randn([n], T.createRng(seed)).values();
      let s = 0;
      for (const v of x) s += v;
      const mean = s / n;
      // standard error of the mean: 1 / sqrt(n)
      expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
      let ss = 0;
      let above2 = 0;
      for (const v of x) {
        ss += (v - mean) ** 2;
        if (Math.abs(v) > 2) above2++;
      }
      // standard error of the sample variance of N(0, 1): sqrt(2 / (n - 1))
      expect(Math.abs(ss / (n - 1) - 1)).toBeLessThan(5 * Math.sqrt(2 / (n - 1)));
      // P(|Z| > 2) = 0.0455; binomial standard error
      const p = 0.0455;
      expect(Math.abs(above2 / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  test('randint stays in [low, high) and hits every value', () => {
    const x = T.randint([2000], -2, 3, T.createRng(9)).values();
    expect(new Set(x)).toEqual(new Set([-2, -1, 0, 1, 2]));
  });

  test('shuffle returns a permutation, reproducibly', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.integer(), (n, seed) => {
        const p = T.shuffle(n, T.createRng(seed));
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(T.shuffle(n, T.createRng(seed))).toEqual(p);
        const items = Array.from({ length: n }, (_, i) => `x${i}`);
        const q = T.shuffle(items, T.createRng(seed));
        expect([...q].sort()).toEqual([...items].sort());
        expect(items[0]).toBe(n > 0 ? 'x0' : undefined); // the input is not modified
      }),
      { numRuns: 100 },
    );
    // every position is reachable: over many shuffles of 4, each element lands everywhere
    const rng = T.createRng(3);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) seen.add(T.shuffle(4, rng).join(''));
    expect(seen.size).toBe(24);
  });

  test('fork gives an independent, reproducible generator', () => {
    const a = T.createRng(5).fork();
    const b = T.createRng(5).fork();
    expect(a.uniform()).toBe(b.uniform());
    const parent = T.createRng(5);
    const child = parent.fork();
    expect(child.uniform()).not.toBe(parent.uniform());
  });
});
