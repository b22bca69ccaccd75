import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { EXPERIMENTS } from '../src/experiments/registry.js';

/** Runs the program in this process; returns what it printed and how it ended. */
async function cli(args: string[]): Promise<{ out: string; err: string; exitCode: number; code?: string }> {
  let out = '';
  let err = '';
  const program = buildProgram({ out: (t) => (out += t), err: (t) => (err += t) }, { exitOverride: true });
  try {
    await program.parseAsync(['node', 'resode', ...args]);
    return { out, err, exitCode: 0 };
  } catch (e) {
    if (e instanceof CommanderError) return { out, err, exitCode: e.exitCode, code: e.code };
    throw e;
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'resode-cli-'));
const tiny = [
  '--inits',
  'iid',
  '--depths',
  '4,8',
  '--width',
  '4',
  '--samples',
  '3',
  '--workers',
  '1',
  '--no-progress',
];

describe('CLI option errors are clear and exit non-zero', () => {
  const cases: [string[], RegExp][] = [
    [
      ['scaling-init', '--depths', '10,x'],
      /option '--depths <list>' argument '10,x' is invalid\. entry 2 of '10,x': 'x' is not an integer/,
    ],
    [['scaling-init', '--depths', '10,,20'], /'10,,20' is not a comma-separated list/],
    [['scaling-init', '--depths', '0,10'], /value 0 is out of range: must be >= 1/],
    [['scaling-init', '--betas', '0.5,0.5'], /lists 0\.5 twice/],
    [['scaling-init', '--hursts', '1'], /value 1 is out of range: must be > 0 and < 1/],
    [['scaling-init', '--width', '2.5'], /'2\.5' is not an integer/],
    [['scaling-init', '--lengthscale', 'abc'], /'abc' is not a finite number/],
    [['scaling-init', '--inits', 'iid,gaussian'], /'gaussian' is not one of iid, smooth, fgn/],
    [['scaling-init', '--shard', '3/2'], /shard index i must be in 1\.\.2, got 3/],
    [['scaling-init', '--shard', 'half'], /'half' is not of the form i\/n/],
    [['scaling-init', '--workers', '0'], /'0' is not a whole number of threads in 1\.\.256/],
    [['scaling-init', '--preset', 'huge'], /argument 'huge' is invalid\. Allowed choices are small, large/],
    [['scaling-init', '--depht', '3'], /unknown option '--depht'/],
    [['scaling-init', '--samples', '2'], /--samples must be at least 3/],
    [['no-such-experiment'], /unknown command 'no-such-experiment'/],
    [['merge'], /missing required argument 'files'/],
    [['demo', '--workers', 'two'], /'two' is not a whole number of threads/],
    [['demo', '--out', ''], /the output directory is empty/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const r = await cli(args);
      expect(r.exitCode).not.toBe(0);
      expect(r.err).toMatch(message);
    });
  }

  it('merge of a missing file says which', async () => {
    const r = await cli(['merge', '/nonexistent/rows.jsonl', '--out', tmp()]);
    expect(r.exitCode).toBe(2);
    expect(r.err).toMatch(/\/nonexistent\/rows\.jsonl: no such file/);
  });
});

describe('CLI help and runs', () => {
  for (const exp of EXPERIMENTS) {
    it(`${exp.name} --help lists every option with its small and large defaults`, async () => {
      const r = await cli([exp.name, '--help']);
      expect(r.exitCode).toBe(0);
      for (const spec of exp.options) expect(r.out).toContain(spec.flag.split(' ')[0]);
      for (const flag of ['--out', '--resume', '--shard', '--workers', '--preset'])
        expect(r.out).toContain(flag);
      expect(r.out).toMatch(/small: .*; large: /);
    });
  }

  it('resode --help lists every command; demo and merge have their own help', async () => {
    const top = await cli(['--help']);
    expect(top.exitCode).toBe(0);
    for (const name of [...EXPERIMENTS.map((e) => e.name), 'merge', 'demo']) expect(top.out).toContain(name);
    expect((await cli(['demo', '--help'])).out).toMatch(/--quick[\s\S]*--workers/);
    expect((await cli(['merge', '--help'])).out).toMatch(/<files\.\.\.>[\s\S]*--out/);
  });

  it('a run writes rows, summary and figures; --shard writes a shard file and no figures', async () => {
    const dir = tmp();
    const r = await cli(['scaling-init', ...tiny, '--out', dir]);
    expect(r.exitCode).toBe(0);
    expect(r.out).toMatch(/scaling-init: 2 points run, 0 resumed, 6 rows/);
    expect(existsSync(join(dir, 'scaling-init.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'scaling-init-iid.svg'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'scaling-init.summary.json'), 'utf8')).numbers).toHaveProperty(
      'iid.beta=1.slope',
    );
    const shardDir = tmp();
    const s = await cli(['scaling-init', ...tiny, '--out', shardDir, '--shard', '2/2']);
    expect(s.out).toMatch(/1 points run/);
    expect(existsSync(join(shardDir, 'scaling-init.shard-2-of-2.jsonl'))).toBe(true);
    expect(existsSync(join(shardDir, 'scaling-init-iid.svg'))).toBe(false);
  });

  it('the real entry point (tsx main.ts) exits non-zero on a bad option and runs a tiny sweep', () => {
    const root = resolve(import.meta.dirname, '../../..');
    const run = (args: string[]) =>
      spawnSync(
        'pnpm',
        ['exec', 'tsx', '--conditions=resode-source', 'packages/resnet/src/cli/main.ts', ...args],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
    const bad = run(['scaling-init', '--depths', 'ten']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/argument 'ten' is invalid\. 'ten' is not an integer/);
    const dir = tmp();
    const ok = run(['scaling-init', ...tiny, '--out', dir]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/6 rows in/);
  }, 60_000);
});
