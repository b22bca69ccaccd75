/**
 * `pnpm props [--runs N] [--seed S] [--path P] [-t name] [file filters...] [-- vitest args...]`
 *
 * Runs every property test (each test file that uses fast-check; test/setup-fast-check.ts applies the seed and runs) with N runs per
 * property and one seed, printed first, so that any failure can be replayed: fast-check reports
 * the seed, the path and the shrunk counterexample, and `pnpm props --runs N --seed S --path P`
 * replays exactly that case. Without --seed a random one is drawn. Other words keep the files
 * whose path contains one of them (e.g. `autograd`); `-t name` keeps the tests whose name matches;
 * arguments after `--` go to vitest as they are.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');

type Options = {
  runs: number | undefined;
  seed: number;
  path: string | undefined;
  fileFilters: string[];
  vitestArgs: string[];
};

function usage(message: string): never {
  console.error(
    `props: ${message}\nusage: pnpm props [--runs N] [--seed S] [--path P] [-t name] [file filters...] [-- vitest args...]`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    runs: undefined,
    seed: Math.floor(Math.random() * 2 ** 31),
    path: undefined,
    fileFilters: [],
    vitestArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    const integer = (min: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < min) usage(`${a} needs an integer >= ${min}, got '${v}'`);
      return n;
    };
    if (a === '--runs') opts.runs = integer(1);
    else if (a === '--seed') opts.seed = integer(-(2 ** 31));
    else if (a === '--path') opts.path = value();
    else if (a === '-t' || a === '--testNamePattern') opts.vitestArgs.push('-t', value());
    else if (a === '--') {
      opts.vitestArgs.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-')) usage(`unknown option ${a} (vitest options go after --)`);
    else opts.fileFilters.push(a);
  }
  return opts;
}

/** Test files (under packages/*\/test and test/) with property tests (fast-check; parameters from props-config). */
function propertyTestFiles(): string[] {
  const dirs = [join(root, 'test')];
  for (const p of readdirSync(join(root, 'packages'))) dirs.push(join(root, 'packages', p, 'test'));
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      if (e === 'node_modules') continue;
      const full = join(dir, e);
      if (statSync(full).isDirectory()) walk(full);
      else if (e.endsWith('.test.ts') && /props-config|fast-check/.test(readFileSync(full, 'utf8')))
        files.push(full);
    }
  };
  dirs.forEach(walk);
  return files.map((f) => relative(root, f)).sort();
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const files = propertyTestFiles().filter(
    (f) => opts.fileFilters.length === 0 || opts.fileFilters.some((w) => f.includes(w)),
  );
  if (files.length === 0) usage('found no property tests (test files importing test/props-config.ts)');
  const runs = opts.runs === undefined ? 'each test default' : String(opts.runs);
  console.log(`props: ${files.length} files, runs per property: ${runs}, seed: ${opts.seed}`);
  if (opts.path !== undefined) console.log(`props: replaying path ${opts.path}`);
  const env: NodeJS.ProcessEnv = { ...process.env, RESODE_PROPS_SEED: String(opts.seed) };
  if (opts.runs !== undefined) env.RESODE_PROPS_RUNS = String(opts.runs);
  if (opts.path !== undefined) env.RESODE_PROPS_PATH = opts.path;
  // No per-test timeout: with --runs 10000 a property may take minutes.
  const result = spawnSync(
    'pnpm',
    ['exec', 'vitest', 'run', '--testTimeout=0', ...files, ...opts.vitestArgs],
    {
      cwd: root,
      env,
      stdio: 'inherit',
    },
  );
  const selection = [...opts.fileFilters, ...opts.vitestArgs.map((a) => (a.includes(' ') ? `'${a}'` : a))];
  const again = ['pnpm props', opts.runs === undefined ? '' : `--runs ${opts.runs}`, `--seed ${opts.seed}`]
    .filter((w) => w !== '')
    .join(' ');
  if (result.status === 0) console.log(`props: all passed (rerun: ${[again, ...selection].join(' ')})`);
  else {
    const replay =
      opts.path === undefined
        ? `${again} --path '<path>' <file word> -t '<test name>'   (path, file and test name from the failure above)`
        : [again, `--path '${opts.path}'`, ...selection].join(' ');
    console.log(`props: FAILED. Replay the shrunk counterexample with: ${replay}`);
  }
  process.exit(result.status ?? 1);
}

main();
