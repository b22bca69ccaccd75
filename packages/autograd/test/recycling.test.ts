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
