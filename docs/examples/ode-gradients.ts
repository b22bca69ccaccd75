/**
 * Gradients through the solver: fit the damping and stiffness of an oscillator to noisy
 * observations by gradient descent, differentiating a loss of odeint with respect to the
 * parameters the vector field closes over (backprop through every dopri5 step), and check that
 * gradient against finite differences (docs/ode.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/ode-gradients.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import { odeint } from '@resode/ode';
import * as T from '@resode/tensor';

/** x'' + c x' + k x = 0 in y = [x, v], with c and k Vars (or constants). */
const field = (c: A.Var, k: A.Var) => (_t: number, y: A.Var) => {
  const x = A.index(y, 0);
  const v = A.index(y, 1);
  return A.stack([v, A.neg(A.add(A.mul(c, v), A.mul(k, x)))]);
};

export function main(log: (...args: unknown[]) => void = console.log, iterations = 60) {
  const ts = Array.from({ length: 16 }, (_, i) => i * 0.4);
  const y0 = T.tensor([1, 0]);
  const truth = { c: 0.3, k: 2 };
  const rng = T.createRng(1);
  const clean = odeint(field(A.constant(truth.c), A.constant(truth.k)), y0, ts);
  const observed = T.add(A.slice(clean, [null, [0, 1]]).value, T.mul(T.randn([ts.length, 1], rng), 0.01));

  // Mean squared error of the positions x(t_i) against the observations.
  const loss = (c: A.Var, k: A.Var) =>
    A.mse(A.slice(odeint(field(c, k), y0, ts, { rtol: 1e-6, atol: 1e-8 }), [null, [0, 1]]), observed);
  const step = A.valueAndGrad(loss);

  // The gradient of the solve, checked against central finite differences. The backward pass
  // holds the adaptive step sizes fixed while finite differences also move them, so the two
  // agree to about the solver's tolerance (1e-6 here), not to rounding.
  const report = A.gradcheck(loss, [T.tensor(0.1), T.tensor(1.2)], { rtol: 1e-4 });
  log(
    `gradcheck of d loss / d(c, k): ${report.ok ? 'ok' : 'FAILED'} (worst error ${report.maxError.toFixed(3)} x tolerance)`,
  );

  // Gradient descent with momentum (heavy ball) from a poor guess.
  let params = [T.tensor(0.1), T.tensor(1.2)];
  let velocity = [T.tensor(0), T.tensor(0)];
  const lr = 0.2;
  const losses: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const { value, grads } = step(...params);
    losses.push(value.item());
    velocity = velocity.map((v, i) => T.add(T.mul(v, 0.5), grads[i]!.value));
    params = params.map((p, i) => T.sub(p, T.mul(velocity[i]!, lr)));
    if (it % 10 === 0 || it === iterations - 1) {
      log(
        `iter ${String(it).padStart(3)}: loss ${value.item().toExponential(3)}, c = ${params[0]!.item().toFixed(4)}, k = ${params[1]!.item().toFixed(4)}`,
      );
    }
  }
  const [c, k] = params.map((p) => p.item());
  log(`fitted c = ${c!.toFixed(3)} (true ${truth.c}), k = ${k!.toFixed(3)} (true ${truth.k})`);
  return { gradcheckOk: report.ok, initialLoss: losses[0]!, finalLoss: losses.at(-1)!, c: c!, k: k!, truth };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
