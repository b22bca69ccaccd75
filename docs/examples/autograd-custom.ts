/**
 * A primitive of your own with customVjp, checked with gradcheck; and what detectAnomaly says when
 * a gradient turns into NaN (docs/autograd.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/autograd-custom.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

/**
 * The Euclidean norm |x| with a VJP that is safe at 0: d|x|/dx = x / |x|, taken as 0 at x = 0
 * (a subgradient). Written with sqrt(sum(x^2)), the VJP would divide by 2 sqrt(0) = 0 there.
 */
export const safeNorm = A.customVjp(
  (x) => A.sqrt(A.sum(A.square(x))),
  (ct, norm, x) => [A.mul(ct, A.div(x!, A.where(T.equal(norm.value, 0), 1, norm)))],
  'safeNorm',
);

export function main(log: (...args: unknown[]) => void = console.log) {
  const x = T.tensor([3, -4]);
  const [g] = A.grad(safeNorm)(x);
  log(`d|x|/dx at [3, -4] = ${g!.value}`); // x / |x| = [0.6, -0.8]

  // Its VJP is written with differentiable ops, so it passes gradcheck to second order too.
  const report = A.gradcheck(safeNorm, [T.tensor([0.3, -1.2, 2])], { order: 2 });
  log(`gradcheck of safeNorm: ok=${report.ok}`);

  const [atZero] = A.grad(safeNorm)(T.zeros([2]));
  log(`safe gradient at 0: ${atZero!.value}`);

  // The naive norm at 0: the forward value is fine (0), its gradient is 0/0.
  const naive = (v: A.Var) => A.sqrt(A.sum(A.square(v)));
  let plain = '';
  let detected = '';
  try {
    A.grad(naive)(T.zeros([2]));
  } catch (e) {
    plain = (e as Error).message;
  }
  try {
    A.detectAnomaly(() => A.grad(naive)(T.zeros([2])));
  } catch (e) {
    detected = (e as Error).message;
  }
  log(`without detectAnomaly: ${plain}`);
  log(`with detectAnomaly:    ${detected}`);

  return {
    grad: Array.from(g!.value.values()),
    gradcheckOk: report.ok,
    atZero: Array.from(atZero!.value.values()),
    plain,
    detected,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
