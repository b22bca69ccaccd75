/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, with
 * their file and line, and the share of garbage collection. How to profile a workload:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx --conditions=resode-source bench/w1.ts
 *   pnpm exec tsx bench/profile.ts /tmp/prof/<file>.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export type SelfTime = { name: string; where: string; ms: number; share: number };

/** Self time per function (summed over the call sites), largest first. */
export function selfTimes(profile: Profile): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, { name: string; where: string; ms: number }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(/^.*\/(packages|bench|node_modules)\//, '$1/');
    const where = url === '' ? '' : `${file}:${lineNumber + 1}`;
    const key = `${functionName}@${where}`;
    const e = ms.get(key) ?? { name: functionName || '(anonymous)', where, ms: 0 };
    e.ms += dt;
    ms.set(key, e);
  });
  return [...ms.values()].map((e) => ({ ...e, share: e.ms / total })).sort((a, b) => b.ms - a.ms);
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/profile.ts <file.cpuprofile> [top]');
  const rows = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  for (const r of rows.slice(0, Number(topArg ?? 25))) {
    console.log(
      `${(100 * r.share).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}  ${r.where}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
