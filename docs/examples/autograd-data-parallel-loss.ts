/**
 * The loss of docs/examples/autograd-data-parallel.ts, in a module of its own: dataParallel's
 * worker threads import it by URL (a function cannot be sent to a thread), so it exports the loss
 * and has no side effects.
 */
import * as A from '@resode/autograd';

/**
 * A residual network of `weights.length / 2` blocks x <- x + tanh(x W^T) V^T / sqrt(L) on the rows
 * of x, then the mean over the rows of the squared distance to the targets y.
 */
export function residualFit(x: A.Var, y: A.Var, ...weights: A.Var[]): A.Var {
  const L = weights.length / 2;
  let h = x;
  for (let k = 0; k < L; k++) {
    const branch = A.matmul(A.tanh(A.matmul(h, A.transpose(weights[k]!))), A.transpose(weights[L + k]!));
    h = A.add(h, A.mul(branch, L ** -0.5));
  }
  return A.mean(A.sum(A.square(A.sub(h, y)), 1));
}
