import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Each package must work when installed alone: its built dist/ is imported by plain Node (no
// TypeScript, no `resode-source` condition), exactly as a user's project would import it.
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const packages = ['tensor', 'autograd', 'ode', 'adjoint', 'resnet'];

describe('built packages', () => {
  for (const name of packages) {
    it(`@resode/${name} imports from dist/ under plain Node`, () => {
      const entry = join(root, 'packages', name, 'dist', 'index.js');
      expect(existsSync(entry), `${entry} is missing: run \`pnpm build\` first`).toBe(true);
      const script = `const m = await import('@resode/${name}'); console.log(JSON.stringify(Object.keys(m)));`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: here,
        encoding: 'utf8',
      });
      const names = JSON.parse(out) as string[];
      expect(Array.isArray(names)).toBe(true);
      if (name === 'tensor')
        expect(names).toEqual(expect.arrayContaining(['tensor', 'zeros', 'matmul', 'createRng', 'Tensor']));
      if (name === 'autograd')
        expect(names).toEqual(expect.arrayContaining(['variable', 'grad', 'vjp', 'jvp', 'hvp', 'gradcheck']));
    });
  }

  it('a built package computes the same as its source', () => {
    const script = `
      const T = await import('@resode/tensor');
      const A = await import('@resode/autograd');
      const [g] = A.grad((x) => A.sum(A.tanh(x)))(T.tensor([0.5, -1]));
      console.log(JSON.stringify(g.toArray()));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: here,
      encoding: 'utf8',
    });
    const g = JSON.parse(out) as number[];
    expect(g[0]).toBeCloseTo(1 - Math.tanh(0.5) ** 2, 14);
    expect(g[1]).toBeCloseTo(1 - Math.tanh(-1) ** 2, 14);
  });

  // dataParallel's workers load the built worker and the user's module by themselves: a plain
  // JavaScript module under plain Node, and a TypeScript one when the program runs under tsx
  // (the worker registers tsx, found from the module's folder whatever the working directory).
  for (const [how, command, loss] of [
    ['plain Node, a .mjs loss', process.execPath, 'dp-loss.mjs'],
    ['tsx, a .ts loss', join(root, 'node_modules', '.bin', 'tsx'), 'dp-loss.ts'],
  ] as const) {
    it(`dataParallel from dist/ on two threads (${how}) gives valueAndGrad's numbers`, () => {
      const out = execFileSync(
        command,
        [join(here, 'fixtures', 'dp-main.mjs'), join(here, 'fixtures', loss)],
        {
          cwd: tmpdir(),
          encoding: 'utf8',
        },
      );
      const r = JSON.parse(out) as { threads: number; two: number[]; one: number[] };
      expect(r.threads).toBe(2);
      expect(r.two).toEqual(r.one);
      expect(r.two[0]).toBe(20.75); // sum of ((1, 3, 5) * 0.5 - (2, 4, 6))^2
    });
  }
});
