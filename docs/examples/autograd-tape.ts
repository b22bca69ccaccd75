/**
 * What the tape is: every Var computed from a variable keeps a `node` (the primitive and its
 * inputs); following `node.inputs` walks the computation backwards. This example prints the tape
 * of a small layer and shows broadcasting undone in the gradient (docs/autograd.md).
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/autograd-tape.ts
 */
import { pathToFileURL } from 'node:url';
import * as A from '@resode/autograd';
import * as T from '@resode/tensor';

/** The nodes behind `out`, inputs before outputs, as lines of text. */
function describeTape(out: A.Var, names: Map<A.Var, string>): string[] {
  const lines: string[] = [];
  const seen = new Set<A.Var>();
  const visit = (v: A.Var): string => {
    if (names.has(v)) return names.get(v)!;
    if (v.node === undefined) return `const${JSON.stringify(v.shape)}`;
    if (!seen.has(v)) {
      seen.add(v);
      const args = v.node.inputs.map(visit).join(', ');
      names.set(v, `v${lines.length}`);
      lines.push(`v${lines.length} = ${v.node.name}(${args})  shape ${JSON.stringify(v.shape)}`);
    }
    return names.get(v)!;
  };
  visit(out);
  return lines;
}

export function main(log: (...args: unknown[]) => void = console.log) {
  const x = T.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const w = A.variable(T.tensor([0.1, -0.2, 0.3])); // broadcast over the 2 rows of x
  const b = A.variable(0.5); // broadcast over everything
  const loss = A.sum(A.square(A.tanh(A.add(A.mul(x, w), b))));

  const tape = describeTape(
    loss,
    new Map([
      [w, 'w'],
      [b, 'b'],
    ]),
  );
  log('the tape of sum(tanh(x * w + b)^2):');
  for (const line of tape) log(`  ${line}`);

  // The gradients have the shapes of w and b: the engine summed the broadcast dims away.
  loss.backward();
  log(`dL/dw ${w.grad!.value} (shape ${JSON.stringify(w.grad!.shape)}), dL/db ${b.grad!.item().toFixed(6)}`);

  // By hand: dL/dz = 2 tanh(z) (1 - tanh(z)^2) at z = x w + b; dL/dw sums it times x over rows.
  const z = T.add(T.mul(x, w.value), b.value);
  const t = T.tanh(z);
  const dz = T.mul(T.mul(t, 2), T.sub(1, T.square(t)));
  const dwByHand = T.sum(T.mul(dz, x), 0);
  const dbByHand = T.sum(dz).item();

  return {
    ops: tape.map((l) => l.split(' = ')[1]!.split('(')[0]!),
    dw: Array.from(w.grad!.value.values()),
    dwByHand: Array.from(dwByHand.values()),
    db: b.grad!.item(),
    dbByHand,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
