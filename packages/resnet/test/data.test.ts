import {
  blobs,
  ConfigError,
  circles,
  datasets,
  loadDataset,
  spirals,
  teacherRegression,
  trainTestSplit,
  twoMoons,
} from '@resode/resnet';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';

describe('datasets', () => {
  it('are deterministic in their seed and balanced', () => {
    for (const make of [twoMoons, circles, spirals, blobs]) {
      const a = make({ n: 90, seed: 4 });
      const b = make({ n: 90, seed: 4 });
      const c = make({ n: 90, seed: 5 });
      expect(a.x.toArray()).toEqual(b.x.toArray());
      expect(T.maxAbsDiff(a.x, c.x)).toBeGreaterThan(0.01);
      expect(a.x.shape).toEqual([90, 2]);
      const k = a.numClasses!;
      const counts = Array.from(
        { length: k },
        (_, cls) => Array.from(a.y.values()).filter((y) => y === cls).length,
      );
      expect(counts.every((n) => n === 90 / k)).toBe(true);
    }
  });

  it('two moons: the noiseless points lie on the two half circles', () => {
    const ds = twoMoons({ n: 40, noise: 0 });
    const xs = ds.x.toArray() as number[][];
    xs.forEach(([x, y], i) => {
      const c = ds.y.values()[i]!;
      const r = c === 0 ? Math.hypot(x!, y!) : Math.hypot(x! - 1, y! - 0.5);
      expect(r).toBeCloseTo(1, 12);
      expect(c === 0 ? y! >= 0 : y! <= 0.5).toBe(true);
    });
  });

  it('circles and spirals have the radii they promise', () => {
    const c = circles({ n: 40, noise: 0, factor: 0.3 });
    (c.x.toArray() as number[][]).forEach(([x, y], i) => {
      expect(Math.hypot(x!, y!)).toBeCloseTo(c.y.values()[i] === 0 ? 1 : 0.3, 12);
    });
    const s = spirals({ n: 40, noise: 0, turns: 1 });
    (s.x.toArray() as number[][]).forEach(([x, y], i) => {
      const r = Math.hypot(x!, y!);
      // on arm c the angle is 2 pi r + c pi (mod 2 pi)
      const phi = Math.atan2(y!, x!) - 2 * Math.PI * r - s.y.values()[i]! * Math.PI;
      expect(Math.abs(Math.sin(phi / 2))).toBeLessThan(1e-9);
      expect(r).toBeGreaterThanOrEqual(0.15);
    });
  });

  it('blobs: k classes in R^dim', () => {
    const ds = blobs({ n: 60, classes: 4, dim: 5, seed: 1 });
    expect(ds.x.shape).toEqual([60, 5]);
    expect(ds.numClasses).toBe(4);
  });

  it('teacher regression: rows of x and y have unit RMS norm, y is a function of x', () => {
    const ds = teacherRegression({ n: 64, dim: 4, depth: 10, seed: 2 });
    expect(ds.task).toBe('regression');
    expect(ds.y.shape).toEqual([64, 4]);
    const rms = (t: T.Tensor) => Math.sqrt(T.sum(T.square(t)).item() / t.shape[0]!);
    expect(rms(ds.x)).toBeCloseTo(1, 12);
    expect(rms(ds.y)).toBeCloseTo(1, 12);
    const again = teacherRegression({ n: 64, dim: 4, depth: 10, seed: 2 });
    expect(again.y.toArray()).toEqual(ds.y.toArray());
    // a different input seed, same teacher: identical x rows would give identical y rows
    expect(T.maxAbsDiff(teacherRegression({ n: 64, dim: 4, depth: 10, seed: 3 }).y, ds.y)).toBeGreaterThan(
      0.01,
    );
  });

  it('trainTestSplit partitions the rows', () => {
    const ds = twoMoons({ n: 50 });
    const { train, test } = trainTestSplit(ds, { testFraction: 0.2, seed: 1 });
    expect(train.x.shape[0]).toBe(40);
    expect(test.x.shape[0]).toBe(10);
    const key = (r: number[]) => r.join(',');
    const rows = new Set((ds.x.toArray() as number[][]).map(key));
    const seen = [...(train.x.toArray() as number[][]), ...(test.x.toArray() as number[][])].map(key);
    expect(new Set(seen).size).toBe(50);
    expect(seen.every((r) => rows.has(r))).toBe(true);
    expect(() => trainTestSplit(ds, { testFraction: 1 })).toThrow(/testFraction must be in \(0, 1\)/);
  });

  it('loadDataset by name, with a clear error for an unknown name or a bad option', () => {
    const { train, test } = loadDataset('circles', { n: 100 });
    expect(train.x.shape[0] + test.x.shape[0]).toBe(100);
    expect(() => loadDataset('mnist' as never)).toThrow(
      /unknown dataset "mnist": expected one of 'two-moons'/,
    );
    expect(() => twoMoons({ n: 1 })).toThrow(ConfigError);
    expect(datasets.spirals({ n: 8 }).x.toArray()).toEqual(spirals({ n: 8 }).x.toArray());
    expect(() => spirals({ turns: -1 })).toThrow(/turns must be a finite positive number/);
  });
});
