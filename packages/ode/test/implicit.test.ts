// The implicit methods: their tableaux, the stiff problem they exist for, Newton's linear algebra
// and the implicit-function gradient of a stage.
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luFactor, luInverse, luSolve } from '../src/implicit/linalg.js';
import {
  type DirkTableau,
  implicitEuler,
  kvaerno3,
  odeint,
  odeSolve,
  orderConditionsResidual,
  SolverError,
} from '../src/index.js';

type Complex = [number, number];
const cmul = ([a, b]: Complex, [c, d]: Complex): Complex => [a * c - b * d, a * d + b * c];
const cdiv = ([a, b]: Complex, [c, d]: Complex): Complex => {
  const n = c * c + d * d;
  return [(a * c + b * d) / n, (b * c - a * d) / n];
};

/**
 * The stability function R(z) = 1 + z b^T (I - z A)^{-1} 1, so that y1 = R(h lambda) y0 on
 * y' = lambda y; A is lower triangular, so (I - zA) x = 1 is a forward substitution.
 */
function stability(t: DirkTableau, z: Complex): Complex {
  const x: Complex[] = [];
  t.a.forEach((row, i) => {
    let num: Complex = [1, 0];
    for (let j = 0; j < i; j++) {
      const p = cmul(z, [row[j]! * x[j]![0], row[j]! * x[j]![1]]);
      num = [num[0] + p[0], num[1] + p[1]];
    }
    x.push(cdiv(num, [1 - z[0] * row[i]!, -z[1] * row[i]!]));
  });
  const s = t.b.reduce<Complex>((acc, bi, i) => [acc[0] + bi * x[i]![0], acc[1] + bi * x[i]![1]], [0, 0]);
  const zs = cmul(z, s);
  return [1 + zs[0], zs[1]];
}
const abs = ([a, b]: Complex) => Math.hypot(a, b);

describe('DIRK tableaux', () => {
  it('kvaerno3 has order 3 with an embedded order 2, and is stiffly accurate', () => {
    expect(orderConditionsResidual(kvaerno3, 3)).toBeLessThan(1e-12);
    expect(orderConditionsResidual(kvaerno3, 4)).toBeGreaterThan(1e-4);
    const bhat = kvaerno3.b.map((bi, i) => bi - kvaerno3.bErr![i]!);
    expect(orderConditionsResidual(kvaerno3, 2, bhat)).toBeLessThan(1e-12);
    expect(orderConditionsResidual(kvaerno3, 3, bhat)).toBeGreaterThan(1e-4);
    expect(kvaerno3.stifflyAccurate).toBe(true);
  });

  it.each([kvaerno3, implicitEuler])('$name is L-stable: |R(z)| <= 1 for Re z <= 0, and R(-inf) = 0', (t) => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e3, max: 0, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        (x, y) => abs(stability(t, [x, y])) <= 1 + 1e-12,
      ),
      { numRuns: 500 },
    );
    // R(z) = O(1/z) at infinity (measured: |R(-1e4)| = 2.9e-4 for kvaerno3); much larger z only
    // measures the rounding error of I - zA.
    for (const z of [
      [-1e6, 0],
      [0, 1e6],
      [-1e6, 1e6],
    ] as Complex[])
      expect(abs(stability(t, z))).toBeLessThan(1e-5);
  });

  it('the explicit dopri5 is not: |R(-10)| > 1 (which is why it needs tiny steps on stiff problems)', () => {
    // dopri5's R is a polynomial: R(z) = sum_k z^k / k! (k <= 5) + z^6 / 600.
    const z = -10;
    let R = 0;
    let term = 1;
    for (let k = 0; k <= 5; k++) {
      R += term;
      term *= z / (k + 1);
    }
    R += z ** 6 / 600;
    expect(Math.abs(R)).toBeGreaterThan(1);
  });
});

/** Robertson's chemical kinetics (Hairer & Wanner, Solving ODEs II, IV.1): rates 0.04, 1e4, 3e7. */
const robertson = (_t: number, y: A.Var) => {
  const [y1, y2, y3] = [A.index(y, 0), A.index(y, 1), A.index(y, 2)];
  const r1 = A.mul(y1, 0.04).sub(A.mul(A.mul(y2, y3), 1e4));
  const r3 = A.mul(A.square(y2), 3e7);
  return A.stack([A.neg(r1), r1.sub(r3), r3]);
};

describe('the stiff Robertson problem on [0, 40]', () => {
  it('kvaerno3 solves it in a few hundred steps, to the reference values', () => {
    const sol = odeSolve(robertson, T.tensor([1, 0, 0]), [0, 40], {
      method: 'kvaerno3',
      rtol: 1e-6,
      atol: 1e-10,
    });
    const y = sol.ys.index(1).value.values();
    // Reference at t = 40: scipy's Radau at rtol 1e-12 (agrees with Hairer & Wanner's test set).
    const ref = [0.7158270687194148, 9.185534764558218e-6, 0.28416374574582];
    for (const [i, v] of y.entries()) expect(Math.abs(v - ref[i]!) / ref[i]!).toBeLessThan(1e-5);
    // Runge-Kutta methods keep linear invariants: y1 + y2 + y3 = 1 to rounding.
    expect(Math.abs(y[0]! + y[1]! + y[2]! - 1)).toBeLessThan(1e-13);
    expect(sol.stats.accepted).toBeLessThan(400);
  });

  it('an explicit method exhausts maxSteps on it', () => {
    const run = () =>
      odeSolve(robertson, T.tensor([1, 0, 0]), [0, 40], {
        method: 'dopri5',
        rtol: 1e-6,
        atol: 1e-10,
        maxSteps: 2000,
      });
    expect(run).toThrow(SolverError);
    expect(run).toThrow(/more than maxSteps = 2000 steps/);
  });
});

describe('a stiff linear problem with fixed steps', () => {
  // y' = -1000 (y - cos t): y follows cos t after a transient of length 1e-3.
  const f = (t: number, y: A.Var) => A.mul(A.sub(y, Math.cos(t)), -1000);
  it('implicit-euler with h = 0.1 (100 times the time scale) tracks the solution', () => {
    const ys = odeint(f, T.tensor([0]), [0, 1, 2], { method: 'implicit-euler', stepSize: 0.1 });
    // After the transient y(t) = cos t + sin t / 1000 + O(1e-6); backward Euler lags by O(h / 1000).
    expect(Math.abs(ys.value.get(2, 0) - Math.cos(2))).toBeLessThan(2e-3);
  });
  it('explicit euler with the same step blows up (|1 + h lambda| = 99)', () => {
    expect(() => odeint(f, T.tensor([0]), [0, 20], { method: 'euler', stepSize: 0.1 })).toThrow(/non-finite/);
  });
});

describe('gradient of an implicit solve (implicit function theorem)', () => {
  it('backward Euler on a stiff linear problem: dy_N/dy0 = (1 - h lambda)^(-N) exactly', () => {
    const lambda = -1000;
    const f = (t: number, y: A.Var) => A.mul(A.sub(y, Math.sin(t)), lambda).add(Math.cos(t));
    const N = 10;
    const [g] = A.grad((y0: A.Var) =>
      odeint(f, y0, [0, 1], { method: 'implicit-euler', stepSize: 1 / N })
        .index(1)
        .sum(),
    )(T.tensor([0.3]));
    const expected = (1 - lambda / N) ** -N;
    expect(Math.abs(g!.item() - expected) / expected).toBeLessThan(1e-10);
  });

  it('gives the same gradient however tightly Newton converges (it is not backprop through the iterations)', () => {
    const f = (w: A.Var) => (_t: number, y: A.Var) => A.mul(A.tanh(y), w).sub(A.pow(y, 3));
    const gradAt = (tol: number) =>
      A.grad((w: A.Var) =>
        odeint(f(w), T.tensor([1, -0.5]), [0, 1], {
          method: 'implicit-euler',
          stepSize: 0.25,
          newton: { tol },
        })
          .index(1)
          .sum(),
      )(T.tensor(0.7))[0]!.item();
    const loose = gradAt(1e-2);
    const tight = gradAt(1e-12);
    expect(Math.abs(loose - tight)).toBeLessThan(1e-6 * Math.abs(tight));
  });
});

describe('dense LU', () => {
  it('solves A x = b and inverts A (random well-conditioned A)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = T.createRng(seed);
        const a = T.add(T.randn([n, n], rng), T.mul(T.eye(n), n)).values();
        const b = T.randn([n], rng).values();
        const lu = luFactor(a, n);
        const x = luSolve(lu, b);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
          expect(s).toBeCloseTo(b[i]!, 10);
        }
        const inv = luInverse(lu);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += a[i * n + k]! * inv[k * n + j]!;
            expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
          }
      }),
      { numRuns: 30 },
    );
  });
  it('reports a singular matrix', () => {
    expect(luFactor(Float64Array.of(1, 2, 2, 4), 2).singular).toBe(true);
  });
});
