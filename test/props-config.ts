/**
 * fast-check parameters shared by every property test, so that `pnpm props` (scripts/props.ts)
 * can run them all with a chosen number of runs and seed:
 *
 *   fc.assert(fc.property(...), propsConfig(50));   // 50 runs by default (CI), a random seed
 *
 * Environment (set by scripts/props.ts):
 *   RESODE_PROPS_RUNS  runs of every property (overrides each test's default)
 *   RESODE_PROPS_SEED  the seed of every property (fast-check prints it on failure)
 *   RESODE_PROPS_PATH  with the seed, replays one shrunk counterexample (fast-check's `path`)
 *
 * Under CI (CI=true) the seed defaults to CI_SEED, so that a CI run is reproducible and its
 * verdict does not depend on luck; locally every run explores a fresh random seed.
 */
export const CI_SEED = 20261122;
export type PropsParameters = { numRuns: number; seed?: number; path?: string };

function envInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got '${raw}'`);
  return n;
}

/** The fast-check parameters of one property: `defaultRuns` unless RESODE_PROPS_RUNS says otherwise. */
export function propsConfig(defaultRuns = 100): PropsParameters {
  const numRuns = envInteger('RESODE_PROPS_RUNS') ?? defaultRuns;
  if (numRuns < 1) throw new Error(`RESODE_PROPS_RUNS must be at least 1, got ${numRuns}`);
  const seed = envInteger('RESODE_PROPS_SEED') ?? (process.env.CI ? CI_SEED : undefined);
  const path = process.env.RESODE_PROPS_PATH || undefined;
  return {
    numRuns,
    ...(seed !== undefined ? { seed } : {}),
    ...(path !== undefined ? { path } : {}),
  };
}
