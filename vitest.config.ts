import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources: the `resode-source` export condition points each
// @resode/* package at its src/index.ts, so no build is needed before `vitest`. The other
// conditions are Vite's defaults for server code.
const conditions = ['resode-source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/setup-fast-check.ts'],
  },
});
