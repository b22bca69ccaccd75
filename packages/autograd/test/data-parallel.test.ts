/**
 * dataParallel (data-parallel.ts): a step over several threads must give what valueAndGrad gives
 * on the whole batch (to rounding), and exactly what the same shards computed on this thread and
 * combined in the same order give; failures anywhere must name the worker and its rows.
 */

import { fileURLToPath } from 'node:url';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as losses from './fixtures/data-parallel-losses.js';

const lossModule = new URL('./fixtures/data-parallel-losses.ts', import.meta.url);

const randn = (rng: T.Rng, shape: number[]) => T.randn(shape, rng);

/** The shards of n rows as dataParallel cuts them: near-equal, the first ones one row longer. */
function shards(n: number, p: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < p; i++) {
    const end = start + Math.floor(n / p) + (i < n % p ? 1 : 0);
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** What dataParallel must return, computed here: the shards one by one, combined in its order. */
function byHand(f: A.Fn, xs: T.Tensor[], shardArgs: number[], p: number, reduction: 'mean' | 'sum') {
  const n = xs[shardArgs[0]!]!.shape[0]!;
  const rows = shards(n, Math.min(p, n));
  const parts = rows.map(([s, e]) => {
    const w = reduction === 'mean' ? (e - s) / n : 1;
    const { value, grads } = A.valueAndGrad(f)(
      ...xs.map((x, i) => (shardArgs.includes(i) ? x.slice([[s, e]]) : x)),
    );
    return { value: value.value.item() * w, grads: grads.map((g) => T.mul(g.value, w)) };
  });
  let value = parts[0]!.value;
  for (const part of parts.slice(1)) value += part.value;
  const grads = xs.map((_, i) =>
    shardArgs.includes(i)
      ? T.concat(
          parts.map((part) => part.grads[i]!),
          0,
        )
      : parts.slice(1).reduce((acc, part) => T.add(acc, part.grads[i]!), parts[0]!.grads[i]!),
  );
  return { value, grads };
}

describe('dataParallel on three threads', () => {
  let dpMean: A.DataParallel;
  let dpSum: A.DataParallel;
  beforeAll(async () => {
    [dpMean, dpSum] = await Promise.all([
      A.dataParallel(lossModule, 'meanLoss', {
        threads: 3,
        shardArgs: [0],
        reduction: 'mean',
        reuseStorage: true,
      }),
      A.dataParallel(lossModule, 'sumLoss', { threads: 3, shardArgs: [0, 2], reduction: 'sum' }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([dpMean?.close(), dpSum?.close()]);
  });

  it('starts its workers', () => {
    expect(dpMean.threads).toBe(3);
  });

  it('a mean loss: equals the shards combined by hand exactly, and the whole batch to rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 }), (n, seed) => {
        const rng = new T.Rng(seed);
        const xs = [randn(rng, [n, 3]), randn(rng, [5, 3]), randn(rng, [5]), randn(rng, [5, 2])];
        const got = dpMean.valueAndGrad(...xs);
        const want = byHand(losses.meanLoss, xs, [0], 3, 'mean');
        expect(got.value.value.item()).toBe(want.value);
        got.grads.forEach((g, i) => {
          expect(g.value.values()).toEqual(want.grads[i]!.values());
        });

        const whole = A.valueAndGrad(losses.meanLoss)(...xs);
        expect(got.value.value.item()).toBeCloseTo(whole.value.value.item(), 12);
        got.grads.forEach((g, i) => {
          expect(g.shape).toEqual(xs[i]!.shape);
          const diff = T.sub(g.value, whole.grads[i]!.value).values();
          for (const d of diff) expect(Math.abs(d)).toBeLessThan(1e-12);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('a sum loss with two sharded arguments: their gradients come back in row order', () => {
    const rng = new T.Rng(7);
    const xs = [randn(rng, [11, 4]), randn(rng, [4, 1]), randn(rng, [11, 1])];
    const got = dpSum.valueAndGrad(...xs);
    const want = byHand(losses.sumLoss, xs, [0, 2], 3, 'sum');
    expect(got.value.value.item()).toBe(want.value);
    got.grads.forEach((g, i) => {
      expect(g.value.values()).toEqual(want.grads[i]!.values());
    });
    // d/dy of sum(sin(x w) y) is sin(x w), row by row: a wrong row order would break this.
    expect(got.grads[2]!.value.values()).toEqual(T.sin(T.matmul(xs[0]!, xs[1]!)).values());
  });

  it('repeated steps (reusing storage on every thread) give the same result', () => {
    const rng = new T.Rng(3);
    const xs = [randn(rng, [17, 3]), randn(rng, [5, 3]), randn(rng, [5]), randn(rng, [5, 2])];
    const first = dpMean.valueAndGrad(...xs);
    for (let i = 0; i < 3; i++) {
      const again = dpMean.valueAndGrad(...xs);
      expect(again.value.value.item()).toBe(first.value.value.item());
      again.grads.forEach((g, j) => {
        expect(g.value.values()).toEqual(first.grads[j]!.value.values());
      });
    }
  });

  it("a step's results are its own: the next step, on other inputs, leaves them alone", () => {
    const rng = new T.Rng(11);
    const xs = [randn(rng, [9, 3]), randn(rng, [5, 3]), randn(rng, [5]), randn(rng, [5, 2])];
    const first = dpMean.valueAndGrad(...xs);
    const kept = [first.value.item(), ...first.grads.map((g) => [...g.value.values()])];
    dpMean.valueAndGrad(...xs.map((x) => T.mul(x, -2)));
    dpMean.valueAndGrad(randn(rng, [9, 3]), ...xs.slice(1));
    expect([first.value.item(), ...first.grads.map((g) => [...g.value.values()])]).toEqual(kept);
  });

  it('arguments that are views: a transposed weight, a batch taken every other row', () => {
    const rng = new T.Rng(5);
    const big = randn(rng, [22, 3]);
    const xs = [
      big.slice([[0, 22, 2]]),
      T.transpose(randn(rng, [3, 5])),
      randn(rng, [5]),
      randn(rng, [5, 2]),
    ];
    expect(xs[0]!.isContiguous).toBe(false);
    expect(xs[1]!.isContiguous).toBe(false);
    const got = dpMean.valueAndGrad(...xs);
    const whole = A.valueAndGrad(losses.meanLoss)(...xs);
    expect(got.value.item()).toBeCloseTo(whole.value.item(), 13);
    got.grads.forEach((g, i) => {
      const diff = T.sub(g.value, whole.grads[i]!.value).values();
      for (const d of diff) expect(Math.abs(d)).toBeLessThan(1e-13);
    });
  });

  it('bad arguments: a clear error that names them', () => {
    const rng = new T.Rng(1);
    const ok = [randn(rng, [6, 4]), randn(rng, [4, 1]), randn(rng, [6, 1])];
    expect(() => dpSum.valueAndGrad(ok[0]!, ok[1]!, randn(rng, [5, 1]))).toThrow(
      /sharded arguments must share their first axis \(the batch\): argument 0 has shape \[6, 4\], argument 2 has \[5, 1\]/,
    );
    expect(() => dpSum.valueAndGrad(ok[0]!, ok[1]!)).toThrow(/names argument 2, but f was given 2/);
    expect(() => dpSum.valueAndGrad(randn(rng, [0, 4]), ok[1]!, randn(rng, [0, 1]))).toThrow(
      /argument 0 is sharded, so it needs a first axis with at least one row \(the batch\), got shape \[0, 4\]/,
    );
    expect(() => dpSum.valueAndGrad(T.tensor(2), ok[1]!, ok[2]!)).toThrow(
      /argument 0 is sharded.*got shape \[\]/,
    );
    // After an error the workers are still usable.
    expect(dpSum.valueAndGrad(...ok).value.value.item()).toBe(
      byHand(losses.sumLoss, ok, [0, 2], 3, 'sum').value,
    );
  });
});

describe('dataParallel failures', () => {
  let dp: A.DataParallel;
  beforeAll(async () => {
    dp = await A.dataParallel(lossModule, 'failsOnNegative', {
      threads: 2,
      shardArgs: [0],
      reduction: 'sum',
    });
  }, 60_000);
  afterAll(async () => {
    await dp?.close();
  });

  it("a worker's error names the worker and its rows, and the next step works", () => {
    const x = T.tensor([[1], [2], [-3], [4]]);
    expect(() => dp.valueAndGrad(x)).toThrow(/worker 1 \(rows \[2, 4\)\): negative first entry -3/);
    expect(dp.valueAndGrad(T.tensor([[1], [2], [3], [4]])).value.value.item()).toBe(10);
  });

  it("this thread's error is thrown as it is, and the workers stay usable", () => {
    expect(() => dp.valueAndGrad(T.tensor([[-1], [2], [3], [4]]))).toThrow(/negative first entry -1/);
    expect(dp.valueAndGrad(T.tensor([[5], [2], [3], [4]])).value.value.item()).toBe(14);
  });

  it("when both threads fail this thread's error is thrown, and a later failure is reported afresh", () => {
    expect(() => dp.valueAndGrad(T.tensor([[-1], [2], [-3], [4]]))).toThrow(/negative first entry -1/);
    expect(() => dp.valueAndGrad(T.tensor([[1], [2], [-7], [4]]))).toThrow(
      /worker 1 \(rows \[2, 4\)\): negative first entry -7$/,
    );
  });

  it("a worker's error carries its stack as the cause", () => {
    let caught: unknown;
    try {
      dp.valueAndGrad(T.tensor([[1], [2], [-3], [4]]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(A.AutogradError);
    const cause = (caught as Error).cause as Error;
    expect(cause.message).toBe('negative first entry -3');
    expect(cause.stack).toMatch(/failsOnNegative/);
  });

  it('fewer rows than threads: the shards are the rows there are', () => {
    expect(dp.valueAndGrad(T.tensor([[2.5]])).value.value.item()).toBe(2.5);
  });

  it('is refused after close()', async () => {
    const one = await A.dataParallel(lossModule, 'failsOnNegative', {
      threads: 1,
      shardArgs: [0],
      reduction: 'sum',
    });
    expect(one.threads).toBe(1);
    expect(one.valueAndGrad(T.tensor([[1], [2]])).value.value.item()).toBe(3);
    await one.close();
    expect(() => one.valueAndGrad(T.tensor([[1]]))).toThrow(/after close\(\)/);
  });
});

describe('dataParallel options and modules', () => {
  const mk = (name: string, options: Partial<A.DataParallelOptions>) =>
    A.dataParallel(lossModule, name, {
      shardArgs: [0],
      reduction: 'sum',
      threads: 2,
      ...options,
    } as A.DataParallelOptions);

  it('rejects bad options', async () => {
    await expect(mk('sumLoss', { threads: 0 })).rejects.toThrow(/threads must be a positive integer, got 0/);
    await expect(mk('sumLoss', { timeoutMs: -1 })).rejects.toThrow(
      /timeoutMs must be a positive number of ms, got -1/,
    );
    await expect(mk('sumLoss', { shardArgs: [] })).rejects.toThrow(
      /shardArgs must name at least one argument/,
    );
    await expect(mk('sumLoss', { reduction: 'max' as 'sum' })).rejects.toThrow(
      /reduction must be 'mean' or 'sum', got max/,
    );
  });

  it('rejects a missing export or one that is not a function', async () => {
    await expect(mk('noSuchLoss', {})).rejects.toThrow(
      /has no exported function 'noSuchLoss' \(got undefined\)/,
    );
    await expect(mk('notAFunction', {})).rejects.toThrow(
      /has no exported function 'notAFunction' \(got number\)/,
    );
  });

  it('a worker whose f returns no Var of its @resode/autograd is named', async () => {
    const dp = await mk('varOnMainThreadOnly', {});
    try {
      expect(() => dp.valueAndGrad(T.tensor([[1], [2]]))).toThrow(
        /worker 1 \(rows \[1, 2\)\): 'varOnMainThreadOnly' returned object that is not a Var of the worker's @resode\/autograd/,
      );
    } finally {
      await dp.close();
    }
  });

  it('cannot run inside another transform', async () => {
    const dp = await mk('sumLoss', { shardArgs: [0, 2], threads: 1 });
    const rng = new T.Rng(2);
    const w = randn(rng, [3, 1]);
    expect(() =>
      A.grad((wv: A.Var) => dp.valueAndGrad(randn(rng, [4, 3]), wv, randn(rng, [4, 1])).value)(w),
    ).toThrow(/cannot be differentiated/);
    await dp.close();
  });

  it('a worker that exits during a step: the step fails at once, and later steps refuse', async () => {
    const dp = await mk('exitsOnNegative', { timeoutMs: 5000 });
    try {
      const started = performance.now();
      expect(() => dp.valueAndGrad(T.tensor([[1], [-2]]))).toThrow(
        /worker 1 \(rows \[1, 2\)\): the worker thread exited during the step/,
      );
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(() => dp.valueAndGrad(T.tensor([[1], [2]]))).toThrow(/worker 1 was lost .*make a new one/);
    } finally {
      await dp.close();
    }
  });

  it('detectAnomaly reaches the workers', async () => {
    const dp = await mk('sqrtLoss', {});
    try {
      const x = T.tensor([[4], [-1]]);
      expect(Number.isNaN(dp.valueAndGrad(x).value.item())).toBe(true);
      expect(() => A.detectAnomaly(() => dp.valueAndGrad(x))).toThrow(/worker 1 \(rows \[1, 2\)\):.*'sqrt'/);
    } finally {
      await dp.close();
    }
  });

  it("the value keeps f's shape, as valueAndGrad's does", async () => {
    const dp = await mk('shapedLoss', {});
    try {
      const got = dp.valueAndGrad(T.tensor([[1], [2], [3]]));
      expect(got.value.shape).toEqual([1]);
      expect(got.value.item()).toBe(6);
    } finally {
      await dp.close();
    }
  });

  it('takes an absolute path; refuses a relative one', async () => {
    const dp = await A.dataParallel(fileURLToPath(lossModule), 'sumLoss', {
      threads: 1,
      shardArgs: [0, 2],
      reduction: 'sum',
    });
    await dp.close();
    await expect(
      A.dataParallel('./loss.js', 'sumLoss', { shardArgs: [0], reduction: 'sum' }),
    ).rejects.toThrow(/must be given as a URL or an absolute path, got '.\/loss.js'/);
  });
});
