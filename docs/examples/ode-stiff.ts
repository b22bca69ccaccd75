/**
 * A stiff problem: the Van der Pol oscillator with mu = 1000. Explicit methods must keep
 * |h lambda| inside their small stability region, lambda ~ -mu on the slow branches, and exhaust
 * any step budget; the L-stable implicit kvaerno3 takes steps as long as the accuracy allows,
 * solving each stage by Newton's method with Jacobians from autograd (docs/ode.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/ode-stiff.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import { odeSolve, SolverError } from '@resode/ode';
import * as T from '@resode/tensor';

/** x'' = mu (1 - x^2) x' - x, as y = [x, v]. */
const vanDerPol = (mu: number) => (_t: number, y: A.Var) => {
  const x = A.index(y, 0);
  const v = A.index(y, 1);
  return A.stack([v, A.sub(A.mul(A.mul(A.sub(1, A.square(x)), v), mu), x)]);
};

export function main(
  log: (...args: unknown[]) => void = console.log,
  { tEnd = 3000, maxSteps = 20_000 } = {},
) {
  const f = vanDerPol(1000);
  const y0 = T.tensor([2, 0]);
  const ts = Array.from({ length: 7 }, (_, i) => (i * tEnd) / 6);

  let t0 = performance.now();
  const implicit = odeSolve(f, y0, ts, { method: 'kvaerno3', rtol: 1e-6, atol: 1e-8 });
  const implicitMs = performance.now() - t0;
  const { accepted, rejected, nfe, jacobians } = implicit.stats;
  log(
    `kvaerno3 on [0, ${tEnd}]: ${accepted} steps (${rejected} rejected), ${nfe} evaluations, ${jacobians} Jacobians, ${implicitMs.toFixed(0)} ms`,
  );
  for (const [i, t] of ts.entries()) {
    log(`  x(${String(t).padStart(4)}) = ${implicit.ys.value.get(i, 0).toFixed(6).padStart(10)}`);
  }

  t0 = performance.now();
  let explicitError: SolverError | undefined;
  try {
    odeSolve(f, y0, ts, { method: 'dopri5', rtol: 1e-6, atol: 1e-8, maxSteps });
  } catch (e) {
    if (!(e instanceof SolverError)) throw e;
    explicitError = e;
  }
  const explicitMs = performance.now() - t0;
  log(`dopri5: ${explicitError?.message ?? 'finished'} (${explicitMs.toFixed(0)} ms)`);
  return { implicit, explicitError };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
