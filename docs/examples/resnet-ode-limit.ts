/**
 * A ResNet with alpha = 1/L and theta_k = theta(k/L) is the Euler scheme of a neural ODE: its
 * output converges to the ODE's flow like 1/L; with the RK4 scheme (weights at the stage times)
 * like 1/L^4 (docs/resnet.md, "Schemes").
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/resnet-ode-limit.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import { odeint } from '@resode/ode';
import { ResNet, type SchemeName } from '@resode/resnet';
import * as T from '@resode/tensor';

const d = 4;
const rng = T.createRng(7);
const [W0, W1, V0] = [T.randn([d, d], rng), T.randn([d, d], rng), T.randn([d, d], rng)];
/** A smooth path of weights: W(t) = W0 + W1 sin(2 pi t), V(t) = V0 cos(t). */
const W = (t: number) => T.add(W0, T.mul(W1, Math.sin(2 * Math.PI * t)));
const V = (t: number) => T.mul(V0, Math.cos(t));
const x = T.randn([8, d], rng);

/** The ResNet of depth L with theta_k = theta(time of weight set k). */
function resnet(depth: number, scheme: SchemeName): ResNet {
  const model = new ResNet({
    depth,
    width: d,
    beta: 1,
    activation: 'tanh',
    scheme,
    stageWeights: 'stage-times',
  });
  model.blocks.forEach((block, j) => {
    block.W.value.data.set(W(model.blockTimes[j]!).values());
    block.V!.value.data.set(V(model.blockTimes[j]!).values());
  });
  return model;
}

export function main(log: (line: string) => void = console.log) {
  // dx/dt = V(t) tanh(W(t) x), solved by dopri5 at tight tolerances.
  const field = (t: number, h: A.Var) => A.matmul(A.tanh(A.matmul(h, A.transpose(W(t)))), A.transpose(V(t)));
  const exact = A.index(odeint(field, x, [0, 1], { rtol: 1e-12, atol: 1e-12 }), 1).value;
  const rows: { scheme: SchemeName; depth: number; error: number }[] = [];
  for (const [scheme, depths] of [
    ['euler', [16, 32, 64, 128, 256]],
    ['rk4', [4, 8, 16, 32]],
  ] as const) {
    for (const depth of depths) {
      const out = A.noGrad(() => resnet(depth, scheme).forward(x)).value;
      rows.push({ scheme, depth, error: T.maxAbsDiff(out, exact) });
    }
    const mine = rows.filter((r) => r.scheme === scheme);
    const slope =
      Math.log(mine.at(-1)!.error / mine[0]!.error) / Math.log(mine.at(-1)!.depth / mine[0]!.depth);
    log(
      `${scheme}: ${mine.map((r) => `L=${r.depth} ${r.error.toExponential(2)}`).join(', ')}; slope ${slope.toFixed(2)}`,
    );
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
