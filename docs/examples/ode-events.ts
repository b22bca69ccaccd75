/**
 * Events: drop a ball with air drag and stop the solve when it lands, i.e. at the first root of
 * g(t, y) = height. The landing time is located on the dense output, and it is differentiable:
 * its gradient with respect to the initial height and to the drag coefficient comes from the
 * implicit function theorem (docs/ode.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/ode-events.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import { odeSolve } from '@resode/ode';
import * as T from '@resode/tensor';

const gravity = 9.81;

/** y = [height, velocity]; quadratic drag k v |v|. */
const fall = (k: A.Var) => (_t: number, y: A.Var) => {
  const v = A.index(y, 1);
  return A.stack([v, A.sub(A.mul(A.mul(v, A.abs(v)), A.neg(k)), gravity)]);
};
const ground = { fn: (_t: number, y: A.Var) => A.index(y, 0), direction: 'falling' as const };

export function main(log: (...args: unknown[]) => void = console.log) {
  const ts = [0, 0.5, 1, 1.5, 2, 2.5, 3];
  const sol = odeSolve(fall(A.constant(0.05)), T.tensor([20, 0]), ts, { event: ground });
  const tLand = sol.event!.t.item();
  const [h, v] = sol.event!.y.value.values();
  log(
    `landed at t = ${tLand.toFixed(10)} with velocity ${v!.toFixed(6)} (height there ${h!.toExponential(1)})`,
  );
  log(`outputs before the landing: ts = [${sol.ts.join(', ')}], ys has shape [${sol.ys.shape}]`);
  log(`without drag: t = sqrt(2 h0 / g) = ${Math.sqrt((2 * 20) / gravity).toFixed(10)}`);

  // d tLand / d(h0, k): backprop through the solve, then through the event's implicit function.
  const landing = (y0: A.Var, k: A.Var) =>
    odeSolve(fall(k), y0, [0, 10], { event: ground, rtol: 1e-10, atol: 1e-12 }).event!.t;
  const [dY0, dK] = A.grad(landing)(T.tensor([20, 0]), T.tensor(0.05));
  const eps = 1e-6;
  const fd =
    (landing(A.constant(T.tensor([20 + eps, 0])), A.constant(0.05)).item() -
      landing(A.constant(T.tensor([20 - eps, 0])), A.constant(0.05)).item()) /
    (2 * eps);
  log(`d tLand / d h0 = ${dY0!.value.get(0).toFixed(8)} (finite differences ${fd.toFixed(8)})`);
  log(`d tLand / d k  = ${dK!.item().toFixed(8)} (more drag, later landing)`);
  return { tLand, velocity: v!, dH0: dY0!.value.get(0), dH0FiniteDifference: fd, dK: dK!.item(), ts: sol.ts };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
