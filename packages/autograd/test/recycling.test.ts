/**
 * The backward pass recycles the storage of cotangents it made once no slot holds them
 * (recycling.ts): gradients must be exactly those of a recorded pass (which recycles nothing),
 * and storage that leaves the pass or that a customVjp may keep must never be reused.
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';

/** A deep net whose backward pass shares cotangents between slots: add (both inputs), views, broadcasts, fan-out. */
function deep(x: A.Var, ws: A.Var[], b: A.Var): A.Var {
  let h = x;
  for (const w of ws) {
    const z = A.add(A.matmul(h, A.transpose(w)), b); // broadcast bias: its cotangent is summed
    const s = A.tanh(z);
    const r = A.reshape(A.permute(s, [1, 0]), [s.shape[1]!, s.shape[0]!]); // views of cotangents
    h = A.add(A.add(h, A.mul(A.transpose(r), 0.3)), A.mul(h, 0.1)); // h used twice
  }
  return A.sum(A.mul(h, h));
}

describe('recycled cotangent storage', () => {
  const rng = T.createRng(21);
  const x = T.randn([12, 6], rng);
  const ws = Array.from({ length: 8 }, () => T.mul(T.randn([6, 6], rng), 0.4));
  const b = T.randn([6], rng);
  const f = (xv: A.Var, bv: A.Var, ...wv: A.Var[]) => deep(xv, wv, bv);

  it('gradients equal those of a recorded backward pass exactly', () => {
    const plain = A.grad(f)(x, b, ...ws);
    // Inside another transform the inner pass is recorded (for a second derivative): nothing is recycled.
    let recorded: A.Var[] = [];
    A.vjp((s) => {
      recorded = A.grad(f)(x, b, ...ws);
      return A.mul(s, 1);
    }, 1);
    expect(recorded.length).toBe(plain.length);
    plain.forEach((g, i) => {
      expect(Array.from(g.value.values())).toEqual(Array.from(recorded[i]!.value.values()));
    });
  });

  it('returned gradients and the seed cotangent survive later passes', () => {
    const first = A.grad(f)(x, b, ...ws).map((g) => Array.from(g.value.values()));
    const kept = A.grad(f)(x, b, ...ws);
    const snapshot = kept.map((g) => Array.from(g.value.values()));
    expect(snapshot).toEqual(first);
    for (let i = 0; i < 3; i++) A.grad(f)(T.mul(x, 1 + i), b, ...ws); // passes that reuse storage
    expect(kept.map((g) => Array.from(g.value.values()))).toEqual(snapshot);

    const ct = T.randn([12, 6], rng);
    const before = Array.from(ct.values());
    const { pullback } = A.vjp((xv) => A.add(A.tanh(xv), A.mul(xv, 2)), x);
    const [gx] = pullback(ct);
    A.grad(f)(x, b, ...ws);
    expect(Array.from(ct.values())).toEqual(before);
    const expected = T.add(T.tanhGrad(ct, T.tanh(x)), T.mul(ct, 2));
    expect(Array.from(gx!.value.values())).toEqual(Array.from(expected.values()));
  });

  it('a cotangent handed to a customVjp is never reused, even if the customVjp keeps it', () => {
    const stash: A.Var[] = [];
    const keepCt = A.customVjp(
      (v) => v.value,
      (ct) => {
        stash.push(ct);
        return [ct];
      },
      'keepCt',
    );
    const g = (xv: A.Var) => A.sum(A.square(keepCt(A.tanh(A.mul(xv, 1.5)))));
    A.grad(g)(x);
    const saved = Array.from(stash[0]!.value.values());
    for (let i = 0; i < 3; i++) A.grad(f)(x, b, ...ws);
    expect(Array.from(stash[0]!.value.values())).toEqual(saved);
    expect(saved).toEqual(Array.from(T.mul(T.tanh(T.mul(x, 1.5)), 2).values()));
  });
});

describe('valueAndGrad(f, { reuseStorage: true }): intermediate storage reused from call to call', () => {
  const rng = T.createRng(22);
  const x = T.randn([12, 6], rng);
  const ws = Array.from({ length: 6 }, () => T.mul(T.randn([6, 6], rng), 0.4));
  const b = T.randn([6], rng);
  const shift = T.randn([12, 6], rng); // a constant f closes over
  const f = (xv: A.Var, bv: A.Var, ...wv: A.Var[]) => deep(A.add(A.reshape(xv, [12, 6]), shift), wv, bv);
  const values = (v: A.Var | T.Tensor) => Array.from((v instanceof A.Var ? v.value : v).values());

  it('gives exactly the values and gradients of plain calls, call after call', () => {
    const plain = A.valueAndGrad(f);
    const reusing = A.valueAndGrad(f, { reuseStorage: true });
    for (let i = 0; i < 4; i++) {
      const xi = T.mul(x, 1 + 0.25 * (i % 2)); // alternate inputs, so stale storage would show
      const expected = plain(xi, b, ...ws);
      const got = reusing(xi, b, ...ws);
      expect(got.value.item()).toBe(expected.value.item());
      expect(got.grads.map(values)).toEqual(expected.grads.map(values));
    }
  });

  it('reuses the arrays of the previous call, and only with the option', () => {
    const seen: Float64Array[][] = [];
    // h is the only forward value of its length (72 x 3), so the pool has one such array to give back.
    const spy = (xv: A.Var, bv: A.Var, ...wv: A.Var[]) => {
      const h = A.tanh(A.broadcastTo(A.reshape(xv, [72, 1]), [72, 3]));
      seen.at(-1)!.push(h.value.data); // only the identity of the array is kept, never read
      return A.add(f(xv, bv, ...wv), A.sum(h));
    };
    for (const reuseStorage of [false, true]) {
      const step = A.valueAndGrad(spy, { reuseStorage });
      const arrays: Float64Array[] = [];
      for (let i = 0; i < 3; i++) {
        seen.push([]);
        step(x, b, ...ws);
        arrays.push(seen.at(-1)![0]!);
      }
      expect(new Set(arrays).size).toBe(reuseStorage ? 1 : 3);
    }
  });

  it('never reuses the arguments, constants, returned values and gradients, or a customVjp value', () => {
    const kept = T.randn([12, 6], rng);
    const passThrough = A.customVjp(
      () => kept, // user code may return storage it keeps
      (ct) => [ct],
      'passThrough',
    );
    const g = (xv: A.Var, bv: A.Var, ...wv: A.Var[]) =>
      A.add(f(xv, bv, ...wv), A.sum(A.mul(passThrough(A.tanh(xv)), 0.5)));
    const step = A.valueAndGrad(g, { reuseStorage: true });
    const inputs = [x, b, ...ws, shift, kept].map((t) => values(t));
    const first = step(x, b, ...ws);
    const firstValues = [first.value, ...first.grads].map(values);
    for (let i = 0; i < 3; i++) step(T.mul(x, 2 + i), b, ...ws);
    expect([x, b, ...ws, shift, kept].map((t) => values(t))).toEqual(inputs);
    expect([first.value, ...first.grads].map(values)).toEqual(firstValues);
  });

  it('disposes the intermediate Vars: an op on one or reading its value afterwards throws', () => {
    let escaped: A.Var | undefined;
    const leaky = (xv: A.Var) => {
      escaped = A.tanh(A.mul(xv, 2));
      return A.sum(A.square(escaped));
    };
    A.valueAndGrad(leaky, { reuseStorage: true })(x);
    expect(escaped!.isDisposed).toBe(true);
    expect(() => A.add(escaped!, 1)).toThrow(/disposed/);
    // Its numbers now belong to later computations: reading them throws, its shape stays readable.
    expect(() => escaped!.value).toThrow(/reuseStorage/);
    expect(escaped!.shape).toEqual([12, 6]);
    A.valueAndGrad(leaky)(x);
    expect(escaped!.isDisposed).toBe(false);
  });

  it('inside another transform nothing is reused, and second derivatives are unchanged', () => {
    const inner = (reuseStorage: boolean) => (xv: A.Var) =>
      A.sum(
        A.square(A.valueAndGrad((v: A.Var) => A.sum(A.tanh(A.mul(v, v))), { reuseStorage })(xv).grads[0]!),
      );
    const expected = A.grad(inner(false))(x)[0]!;
    const step = A.grad(inner(true));
    for (let i = 0; i < 2; i++) expect(values(step(x)[0]!)).toEqual(values(expected));
  });
});

describe('vjp pullback with { release: true }: the tape storage handed to the current pool', () => {
  const rng = T.createRng(23);
  const y = T.randn([12, 6], rng);
  const w = T.mul(T.randn([6, 6], rng), 0.4);
  const f = (yv: A.Var, wv: A.Var) => A.mul(A.tanh(A.matmul(yv, A.transpose(wv))), A.add(yv, 1));
  const values = (v: A.Var | T.Tensor) => Array.from((v instanceof A.Var ? v.value : v).values());

  it('gives the plain cotangents, keeps out and the arguments, and refuses a second call', () => {
    const ct = T.randn([12, 6], rng);
    const expected = A.vjp(f, y, w).pullback(ct).map(values);
    const pool = new T.StoragePool();
    const before = [y, w, ct].map(values);
    for (let i = 0; i < 3; i++) {
      const { out, pullback } = A.vjp(f, y, w);
      const outValues = values(out);
      const got = T.withStoragePool(pool, () => pullback(ct, { release: true }));
      expect(got.map(values)).toEqual(expected);
      expect(values(out)).toEqual(outValues);
      expect(() => pullback(ct)).toThrow(/released/);
    }
    expect([y, w, ct].map(values)).toEqual(before);
  });

  it('the next evaluation in the same pool reuses the released arrays', () => {
    const pool = new T.StoragePool();
    const arrays: Float64Array[] = [];
    for (let i = 0; i < 3; i++) {
      T.withStoragePool(pool, () => {
        // z is the only [12, 7]-sized value on the tape (84 numbers), so its array comes back to it.
        const { pullback } = A.vjp((yv: A.Var) => {
          const z = A.tanh(A.concat([yv, A.sum(yv, 1, { keepdims: true })], 1));
          arrays.push(z.value.data);
          return A.sum(z);
        }, y);
        pullback(1, { release: true });
      });
    }
    expect(new Set(arrays).size).toBe(1);
  });
});

describe('customVjp with { recyclable: true }', () => {
  const rng = T.createRng(24);
  const x = T.randn([12, 6], rng);
  const twice = (recyclable: boolean) =>
    A.customVjp(
      (v) => T.mul(v.value, 2),
      (ct) => [A.mul(ct, 2)],
      'twice',
      { recyclable },
    );

  it('gives its value back to the pool, and the same gradients call after call', () => {
    const sizes: number[] = [];
    for (const recyclable of [false, true]) {
      const op = twice(recyclable);
      const f = (v: A.Var) => A.sum(A.square(op(A.tanh(v))));
      const step = A.valueAndGrad(f, { reuseStorage: true });
      const grads = [0, 1, 2].map(() => Array.from(step(x).grads[0]!.value.values()));
      expect(grads[1]).toEqual(grads[0]);
      expect(grads[2]).toEqual(grads[0]);
      const expected = T.tanhGrad(T.mul(T.tanh(x), 8), T.tanh(x)); // d/dx sum (2 tanh x)^2
      expect(grads[0]).toEqual(Array.from(expected.values()));
      // One evaluation in a pool of our own: a recyclable op's value and the cotangents that pass
      // through it come back too (2 arrays come back without, 5 with).
      const pool = new T.StoragePool();
      T.withStoragePool(pool, () => A.vjp(f, x).pullback(1, { release: true }));
      sizes.push(pool.size);
    }
    expect(sizes[1]).toBeGreaterThan(sizes[0]!);
  });
});

describe('vjp(...).release(): the tape storage handed back without a backward pass', () => {
  const rng = T.createRng(25);
  const y = T.randn([12, 6], rng);
  const f = (yv: A.Var) => A.mul(A.tanh(A.mul(yv, 2)), A.add(yv, 1));
  const values = (v: A.Var | T.Tensor) => Array.from((v instanceof A.Var ? v.value : v).values());

  it('keeps out and the arguments, refuses a later pullback, and its arrays serve the next evaluation', () => {
    const pool = new T.StoragePool();
    const expected = values(T.mul(T.tanh(T.mul(y, 2)), T.add(y, 1)));
    const before = values(y);
    const sizes: number[] = [];
    for (let i = 0; i < 3; i++) {
      T.withStoragePool(pool, () => {
        let inner: A.Var | undefined;
        const { out, pullback, release } = A.vjp((yv: A.Var) => {
          inner = A.mul(yv, 2);
          return A.mul(A.tanh(inner), A.add(yv, 1)); // f, with its first intermediate in view
        }, y);
        release();
        sizes.push(pool.size);
        expect(values(out)).toEqual(expected);
        expect(() => pullback(1)).toThrow(/released/);
        expect(() => inner!.value).toThrow(/reuseStorage/);
      });
    }
    expect(values(y)).toEqual(before);
    // Three intermediates (2y, tanh, y + 1) come back each time, and the next evaluation takes
    // them again: the pool does not grow.
    expect(sizes).toEqual([3, 3, 3]);
  });

  it('releases nothing while an outer transform records through it', () => {
    // d/dy sum(f(y)) through an inner vjp that is released: the outer gradient still needs the tape.
    const outer = (yv: A.Var) => {
      const { out, release } = A.vjp(f, yv);
      release();
      return A.sum(out);
    };
    const [g] = A.grad(outer)(y);
    const [expected] = A.grad((yv: A.Var) => A.sum(f(yv)))(y);
    expect(values(g!)).toEqual(values(expected!));
  });
});
