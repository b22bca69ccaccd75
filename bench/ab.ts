/**
 * Two builds of the same workload in one process, alternating: the way to see a change of a few
 * percent on a host whose speed drifts by more than that from one process to the next (this
 * project's machine shares its cores with other jobs). Each build's packages are separate module
 * instances, so each keeps its own kernels and buffers; the load of the host falls on both alike.
 *
 * Usage, with the other version checked out and built beside this one:
 *   git worktree add /tmp/base <commit> && (cd /tmp/base && pnpm install --offline && pnpm bench:build)
 *   pnpm bench:build && node bench/dist/ab.js /tmp/base w2Resode [rounds=40]
 * The export names a workload factory of bench/w1.ts, w1-resnet.ts, w2.ts or w3.ts (w1Resode,
 * w1ResNet, w2Resode, w3Resode, w3ResodeSeminorm, w3ResodeBackprop). Prints each build's median and min (ms) and the
 * ratio of the medians, this build over the other (below 1: this build is faster).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchDir } from './paths.js';

const modules: Record<string, string> = {
  w1Resode: 'w1.js',
  w1ResNet: 'w1-resnet.js',
  w2Resode: 'w2.js',
  w3Resode: 'w3.js',
  w3ResodeSeminorm: 'w3.js',
  w3ResodeBackprop: 'w3.js',
};

type Workload = () => unknown;

async function load(root: string, name: string): Promise<Workload> {
  const file = join(root, 'bench', 'dist', modules[name]!);
  if (!existsSync(file)) throw new Error(`ab: ${file} does not exist; run pnpm bench:build in ${root} first`);
  const factory = (await import(pathToFileURL(file).href))[name] as () => Workload;
  return factory();
}

const median = (v: number[]) => v[v.length >> 1]!;

async function main(): Promise<void> {
  const [other, name, roundsArg] = process.argv.slice(2);
  if (other === undefined || name === undefined || !(name in modules)) {
    console.error(
      `usage: node bench/dist/ab.js <other checkout> <${Object.keys(modules).join('|')}> [rounds]`,
    );
    process.exit(2);
  }
  const rounds = Number(roundsArg ?? 40);
  const runs: [string, Workload][] = [
    ['other', await load(other, name)],
    ['this', await load(join(benchDir, '..'), name)],
  ];
  for (let i = 0; i < 5; i++) for (const [, run] of runs) run();
  const ms: Record<string, number[]> = { other: [], this: [] };
  for (let r = 0; r < rounds; r++) {
    // Alternate which build goes first, so that neither always follows the other's garbage.
    for (const [label, run] of r % 2 === 0 ? runs : [...runs].reverse()) {
      const t0 = performance.now();
      run();
      ms[label]!.push(performance.now() - t0);
    }
  }
  for (const v of Object.values(ms)) v.sort((a, b) => a - b);
  const line = (label: string) =>
    `${label} median ${median(ms[label]!).toFixed(2)} min ${ms[label]![0]!.toFixed(2)}`;
  console.log(
    `${name}, ${rounds} alternating rounds: ${line('other')} | ${line('this')} | this / other ${(median(ms.this!) / median(ms.other!)).toFixed(3)}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
