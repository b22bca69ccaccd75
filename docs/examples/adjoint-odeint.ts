/**
 * The continuous adjoint (docs/adjoint.md, "The adjoint method"): a closed-form check, then a small
 * neural ODE where odeintAdjoint and backprop through odeint give the same gradients, with the
 * function evaluations of both solves, with and without the seminorm.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/adjoint-odeint.ts
 */
import { pathToFileURL } from 'node:url';
import { createGradStats, odeintAdjoint } from '@resode/adjoint';
import * as A from '@resode/autograd';
import { odeint } from '@resode/ode';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log) {
  // 1. dy/dt = theta y, y(0) = y0, L = y(1)^2. Then y(1) = y0 e^theta, the adjoint is
  //    a(t) = 2 y(1) e^(theta (1 - t)), dL/dy0 = a(0) = 2 y0 e^(2 theta) and
  //    dL/dtheta = integral_0^1 a(t) y(t) dt = 2 y0^2 e^(2 theta).
  const theta = 0.7;
  const y0 = 1.3;
  const [gy0, gTheta] = A.grad((y, th) =>
    A.square(
      odeintAdjoint((_t, yy, [k]) => yy.mul(k!), y, [0, 1], [th], { rtol: 1e-10, atol: 1e-12 }).index(1),
    ),
  )(T.tensor(y0), T.tensor(theta));
  const exact = 2 * y0 * Math.exp(2 * theta);
  const closedForm = {
    dy0: gy0!.item(),
    dy0Exact: exact,
    dtheta: gTheta!.item(),
    dthetaExact: y0 * exact,
  };
  log(`dL/dy0    = ${closedForm.dy0.toFixed(10)}   exact ${closedForm.dy0Exact.toFixed(10)}`);
  log(`dL/dtheta = ${closedForm.dtheta.toFixed(10)}   exact ${closedForm.dthetaExact.toFixed(10)}`);

  // 2. A neural ODE dy/dt = tanh(y W1 + b1) W2 on a batch of 2-D points, loss on three output times.
  const rng = T.createRng(0);
  const params = [
    T.mul(T.randn([2, 32], rng), 0.8),
    T.mul(T.randn([32], rng), 0.3),
    T.mul(T.randn([32, 2], rng), 0.3),
  ];
  const f = (_t: number, y: A.Var, [W1, b1, W2]: A.Var[]) => A.tanh(A.matmul(y, W1!).add(b1!)).matmul(W2!);
  const x = T.randn([16, 2], rng);
  const ts = [0, 0.5, 1];
  const loss = (ys: A.Var) => A.sum(A.square(ys.index(1))).add(A.sum(A.square(ys.index(2))));
  const opts = { method: 'dopri5', rtol: 1e-8, atol: 1e-10 } as const;
  const backprop = A.grad((...ps) => loss(odeint((t, y) => f(t, y, ps), x, ts, opts)))(...params);
  const rows = [false, true].map((seminorm) => {
    const stats = createGradStats();
    const grads = A.grad((...ps) => loss(odeintAdjoint(f, x, ts, ps, { ...opts, seminorm, stats })))(
      ...params,
    );
    const worst = Math.max(
      ...grads.map(
        (g, i) => T.maxAbsDiff(g.value, backprop[i]!.value) / T.max(T.abs(backprop[i]!.value)).item(),
      ),
    );
    log(
      `adjoint${seminorm ? ' + seminorm' : '          '}: nfe forward ${stats.nfeForward}, backward ${stats.nfeBackward}, ` +
        `max relative difference to backprop ${worst.toExponential(2)}`,
    );
    return { seminorm, nfeForward: stats.nfeForward, nfeBackward: stats.nfeBackward, worst };
  });
  return { closedForm, rows };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
