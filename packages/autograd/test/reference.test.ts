/**
 * Reference values: a 2-layer MLP loss and its gradients at fixed weights,
 *   loss = mean((tanh(x W1 + b1) W2 + b2 - y)^2),
 * against PyTorch (float64) and against backprop written out by hand.
 *
 * The PyTorch values were made by this script (PyTorch 1.13.0a0, CPU, /usr/bin/python3):
 *
 * import torch
 * torch.set_default_dtype(torch.float64)
 * x = torch.tensor([[0.5, -1.0, 0.25], [1.5, 0.3, -0.7], [-0.2, 0.8, 1.1], [0.9, -0.4, 0.0]])
 * y = torch.tensor([[0.1, -0.3], [0.7, 0.2], [-0.5, 0.4], [0.0, 1.0]])
 * W1 = torch.tensor([[0.2, -0.4, 0.1, 0.6, -0.3], [0.5, 0.3, -0.2, 0.1, 0.4], [-0.6, 0.2, 0.7, -0.1, 0.3]], requires_grad=True)
 * b1 = torch.tensor([0.1, -0.2, 0.05, 0.0, 0.3], requires_grad=True)
 * W2 = torch.tensor([[0.3, -0.5], [0.4, 0.2], [-0.1, 0.6], [0.7, -0.3], [-0.2, 0.1]], requires_grad=True)
 * b2 = torch.tensor([0.05, -0.1], requires_grad=True)
 * loss = torch.nn.functional.mse_loss(torch.tanh(x @ W1 + b1) @ W2 + b2, y)
 * loss.backward()
 * print(torch.__version__)
 * print(repr(loss.item()))
 * for t in (W1, b1, W2, b2):
 *     print([repr(v) for v in t.grad.flatten().tolist()])
 */
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propsConfig } from '../../../test/props-config.js';

const x = T.tensor([
  [0.5, -1.0, 0.25],
  [1.5, 0.3, -0.7],
  [-0.2, 0.8, 1.1],
  [0.9, -0.4, 0.0],
]);
const y = T.tensor([
  [0.1, -0.3],
  [0.7, 0.2],
  [-0.5, 0.4],
  [0.0, 1.0],
]);
const W1 = T.tensor([
  [0.2, -0.4, 0.1, 0.6, -0.3],
  [0.5, 0.3, -0.2, 0.1, 0.4],
  [-0.6, 0.2, 0.7, -0.1, 0.3],
]);
const b1 = T.tensor([0.1, -0.2, 0.05, 0.0, 0.3]);
const W2 = T.tensor([
  [0.3, -0.5],
  [0.4, 0.2],
  [-0.1, 0.6],
  [0.7, -0.3],
  [-0.2, 0.1],
]);
const b2 = T.tensor([0.05, -0.1]);

const torchLoss = 0.4645025655220816;
const torchGrads = [
  [
    0.2183245375853077, -0.09249787416832145, -0.3868162988106755, 0.08697136322357005, -0.06013515590250431,
    0.026016218959214642, 0.030658380479465955, -0.03457242457795819, 0.0912723075763448,
    -0.02214428554649873, -0.055865931017044825, 0.06192331291643291, 0.14110694192046985,
    0.0031124882528081477, 0.01898114152488834,
  ],
  [
    0.17646381877681241, -0.03868772518178701, -0.28062076008919856, 0.08952869904326116,
    -0.044223860169658055,
  ],
  [
    0.0025969976105088143, -0.32068608659885783, 0.05795550526952386, 0.3478349047441062, 0.02736138849428037,
    0.1092499884079558, -0.021857165876341504, -0.3722793854104034, 0.07150639110502896, 0.1183940449559954,
  ],
  [0.022857350676366794, -0.482316318870755],
];

const mlpLoss = (xs: T.Tensor, ys: T.Tensor) => (w1: A.Var, c1: A.Var, w2: A.Var, c2: A.Var) =>
  A.mse(A.add(A.matmul(A.tanh(A.add(A.matmul(xs, w1), c1)), w2), c2), ys);

/** The same gradients by the chain rule written out on Tensors (no autograd). */
function backpropByHand(xs: T.Tensor, ys: T.Tensor, w1: T.Tensor, c1: T.Tensor, w2: T.Tensor, c2: T.Tensor) {
  const h = T.tanh(T.add(T.matmul(xs, w1), c1));
  const pred = T.add(T.matmul(h, w2), c2);
  const dPred = T.mul(T.sub(pred, ys), 2 / pred.size); // d mean(r^2) / d pred = 2 r / size
  const dZ = T.mul(T.matmul(dPred, w2.transpose()), T.sub(1, T.square(h))); // tanh' = 1 - tanh^2
  const loss = T.mean(T.square(T.sub(pred, ys))).item();
  return {
    loss,
    grads: [T.matmul(xs.transpose(), dZ), T.sum(dZ, 0), T.matmul(h.transpose(), dPred), T.sum(dPred, 0)],
  };
}

describe('2-layer MLP reference values', () => {
  it('agree with PyTorch float64', () => {
    const { value, grads } = A.valueAndGrad(mlpLoss(x, y))(W1, b1, W2, b2);
    expect(Math.abs(value.item() - torchLoss)).toBeLessThan(1e-15);
    grads.forEach((g, i) => {
      const ref = torchGrads[i]!;
      expect(g.size).toBe(ref.length);
      Array.from(g.value.values()).forEach((v, j) => {
        expect(Math.abs(v - ref[j]!), `gradient ${i} entry ${j}`).toBeLessThan(1e-15);
      });
    });
  });

  it('agree with backprop written by hand, on random sizes and weights', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(1e6),
        (n, dIn, hidden, dOut, seed) => {
          const rng = T.createRng(seed);
          const args = [
            T.randn([n, dIn], rng),
            T.randn([n, dOut], rng),
            T.randn([dIn, hidden], rng),
            T.randn([hidden], rng),
            T.randn([hidden, dOut], rng),
            T.randn([dOut], rng),
          ] as const;
          const [xs, ys, ...params] = args;
          const { value, grads } = A.valueAndGrad(mlpLoss(xs, ys))(...params);
          const byHand = backpropByHand(...args);
          expect(value.item()).toBeCloseTo(byHand.loss, 12);
          grads.forEach((g, i) => {
            expect(T.allclose(g.value, byHand.grads[i]!, { rtol: 1e-12, atol: 1e-14 })).toBe(true);
          });
        },
      ),
      propsConfig(50),
    );
  });
});
