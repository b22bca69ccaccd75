import { defaultServerConditions, defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources: the `resode-source` export condition points each
// @resode/* package at its src/index.ts, so no build is needed before `vitest`.
export default defineConfig({
  resolve: { conditions: ['resode-source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['resode-source', ...defaultServerConditions] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
