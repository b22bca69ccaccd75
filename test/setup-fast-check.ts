/**
 * Loaded by vitest before every test file (vitest.config.ts `setupFiles`): gives every fast-check
 * property, including those that set their own `numRuns`, the seed of props-config (fixed under
 * CI, chosen by `pnpm props --seed`), and `pnpm props --runs N` as the default number of runs.
 */
import fc from 'fast-check';
import { propsConfig } from './props-config.js';

const { seed, numRuns, path } = propsConfig(100);
fc.configureGlobal({
  ...(seed !== undefined ? { seed } : {}),
  ...(path !== undefined ? { path } : {}),
  ...(process.env.RESODE_PROPS_RUNS ? { numRuns } : {}),
});
