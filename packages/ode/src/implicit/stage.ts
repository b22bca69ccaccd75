/**
 * The gradient of an implicit stage, by the implicit function theorem (not by differentiating
 * Newton's iterations). The stage z solves
 *   G(z, p) = z - rhs(p) - hg f(t, z; p) = 0,
 * p standing for everything upstream: y0, earlier stages, and any Var the field closes over. So
 *   dz = -(dG/dz)^{-1} (dG/dp) dp,     dG/dz = I - hg J(t, z).
 * With the solution z* as a constant, the tape gets
 *   z = z* - M^{-1} (G(z*, p) - value(G)),     M = I - hg J(t, z*) a constant matrix,
 * whose value is z* and whose derivative is exactly the one above: the backward pass runs
 * M^{-T} ct through one recorded evaluation of G, whatever the number of Newton iterations.
 * This is the implicit-function VJP, written with ordinary ops so that Vars captured by the
 * closure f get their gradients too (a customVjp would need them as explicit inputs).
 */
import { constant, isRecording, matmul, reshape, type Var } from '@resode/autograd';
import { Tensor } from '@resode/tensor';
import type { Field } from '../field.js';
import { linearCombination } from '../linear-combination.js';
import type { StepContext } from '../stepper.js';
import { luFactor, luInverse } from './linalg.js';
import { fieldJacobian } from './newton.js';

export function differentiableStage(
  f: Field,
  t: number,
  zStar: Tensor,
  rhs: Var,
  hg: number,
  ctx: StepContext,
): Var {
  const z = constant(zStar);
  if (!isRecording()) return z; // inside noGrad: nothing will differentiate this
  const G = linearCombination([z, rhs, f(t, z)], [1, -1, -hg]);
  if (!G.requiresGrad) return z;
  const n = zStar.size;
  const J = fieldJacobian(f, t, zStar, ctx);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) m[i] = -hg * J[i]!;
  for (let i = 0; i < n; i++) m[i * n + i]! += 1;
  const Minv = constant(Tensor.view(luInverse(luFactor(m, n)), [n, n]));
  const correction = reshape(matmul(Minv, reshape(G, [n])), zStar.shape);
  return linearCombination([z, correction, constant(correction.value)], [1, -1, 1]);
}
