import { continuousPmp } from '@resode/adjoint';
import * as A from '@resode/autograd';
import { odeint } from '@resode/ode';
import * as T from '@resode/tensor';
import { describe, expect, it } from 'vitest';
import { randomField, relativeError } from './helpers.js';

describe('continuous Pontryagin maximum principle', () => {
  const { f, params } = randomField(3, 3); // an autonomous MLP field
  const x0 = T.randn([2, 3], T.createRng(1));
  const target = T.randn([2, 3], T.createRng(2));
  const phi = (xT: A.Var) => A.mse(xT, target);
  const grid = Array.from({ length: 41 }, (_, i) => i / 40);
  const opts = { rtol: 1e-11, atol: 1e-11 };
  const pmp = continuousPmp(f, x0, grid, params, phi, opts);

  it('conserves the Hamiltonian of an autonomous field along (x(t), p(t))', () => {
    const h0 = pmp.hamiltonian[0]!;
    expect(Math.abs(h0)).toBeGreaterThan(1e-3);
    for (const h of pmp.hamiltonian) expect(Math.abs(h - h0)).toBeLessThan(1e-8 * Math.abs(h0));
  });

  it('dJ/dtheta = -integral of dH/dtheta, and equals backprop through the solver', () => {
    const backprop = A.grad((...ps) => phi(odeint((t, y) => f(t, y, ps), x0, [0, 1], opts).index(1)))(
      ...params,
    );
    pmp.gradients.forEach((g, i) => {
      expect(relativeError(g, backprop[i]!.value)).toBeLessThan(1e-7);
      // Composite Simpson on the grid of 40 intervals (error O(h^4)).
      const h = 1 / 40;
      let integral = T.zeros(g.shape);
      pmp.hamiltonianGrads.forEach((dH, k) => {
        const w = k === 0 || k === 40 ? 1 : k % 2 === 1 ? 4 : 2;
        integral = T.add(integral, T.mul(dH[i]!, (w * h) / 3));
      });
      expect(relativeError(T.neg(integral), g)).toBeLessThan(1e-5);
    });
  });

  it('the costate is minus the gradient of the cost with respect to the state', () => {
    for (const k of [0, 13, 39]) {
      const [g] = A.grad((x) =>
        phi(odeint((t, y) => f(t, y, params.map(A.constant)), x, [grid[k]!, 1], opts).index(-1)),
      )(pmp.states[k]!);
      expect(relativeError(pmp.costates[k]!, T.neg(g!.value))).toBeLessThan(1e-7);
    }
    // At T itself: p(T) = -dPhi/dx(T).
    const [gT] = A.grad(phi)(pmp.states[40]!);
    expect(relativeError(pmp.costates[40]!, T.neg(gT!.value))).toBe(0);
    expect(pmp.cost).toBeCloseTo(
      A.noGrad(() => phi(A.constant(pmp.states[40]!)).item()),
      14,
    );
  });
});
