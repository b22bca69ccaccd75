/**
 * The first steps with @resode/autograd: grad of a function of a number, valueAndGrad of a loss
 * of matrices, PyTorch-style backward(), gradcheck, and a training loop that reuses its tape's
 * storage (docs/autograd.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/autograd-basics.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

export function main(log: (...args: unknown[]) => void = console.log) {
  // 1. f(x) = x^3 - 2x has f'(x) = 3x^2 - 2, so f'(2) = 10.
  const f = (x: A.Var) => A.sub(A.pow(x, 3), A.mul(x, 2));
  const [df] = A.grad(f)(T.tensor(2));
  log(`f'(2) = ${df!.item()}`);

  // 2. A least-squares loss of a linear model, with one gradient per argument.
  const rng = T.createRng(0);
  const X = T.randn([8, 3], rng);
  const y = T.randn([8], rng);
  const loss = (w: A.Var, b: A.Var) => A.mse(A.add(A.matmul(X, w), b), y);
  const { value, grads } = A.valueAndGrad(loss)(T.zeros([3]), T.tensor(0));
  const [gw, gb] = grads as [A.Var, A.Var];
  log(`loss ${value.item().toFixed(6)}, dL/dw ${gw.value}, dL/db ${gb.item().toFixed(6)}`);
  // The same gradient by hand: d mean((Xw + b - y)^2) / db = 2 mean(Xw + b - y) = -2 mean(y) at 0.
  const dbByHand = -2 * T.mean(y).item();

  // 3. PyTorch style: leaves made by `variable` collect `.grad` when a scalar calls backward().
  const w = A.variable([0.5, -1, 2]);
  const penalty = A.sum(A.square(w)); // |w|^2
  penalty.backward();
  log(`d|w|^2/dw = ${w.grad!.value}`); // 2w

  // 4. gradcheck: the VJP against central differences along random directions, to second order.
  const report = A.gradcheck((wv, bv) => loss(A.tanh(wv), bv), [T.randn([3], rng), T.tensor(0.3)], {
    order: 2,
  });
  log(`gradcheck ok=${report.ok}, worst error ${report.maxError.toExponential(2)} x tolerance`);

  // 5. A training loop that reuses each step's tape storage in the next step (the loss keeps no
  // intermediate Var), against the same loop without: the same numbers, fewer fresh arrays.
  const descend = (step: (...xs: T.Tensor[]) => { value: A.Var; grads: A.Var[] }) => {
    let [wk, bk] = [T.zeros([3]), T.tensor(0)];
    for (let i = 0; i < 50; i++) {
      const { grads: g } = step(wk, bk);
      [wk, bk] = [T.sub(wk, T.mul(g[0]!.value, 0.1)), T.sub(bk, T.mul(g[1]!.value, 0.1))];
    }
    return step(wk, bk).value.item();
  };
  const trained = descend(A.valueAndGrad(loss, { reuseStorage: true }));
  const trainedPlain = descend(A.valueAndGrad(loss));
  log(`after 50 steps: loss ${trained.toFixed(6)} (reusing storage), ${trainedPlain.toFixed(6)} (plain)`);

  return {
    df: df!.item(),
    loss: value.item(),
    db: gb.item(),
    dbByHand,
    wGrad: Array.from(w.grad!.value.values()),
    gradcheckOk: report.ok,
    trained,
    trainedPlain,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
