import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is cores - 1 files at once (one at a time on 2 cores). BASCULE_TEST_WORKERS
    // runs more: most files wait on I/O, but the e2e files' deadlines assume a quiet machine
    // (3 at once on a loaded 2-core machine timed five of them out).
    ...(process.env.BASCULE_TEST_WORKERS
      ? { maxWorkers: Number(process.env.BASCULE_TEST_WORKERS) }
      : {}),
    reporters: ['default'],
  },
});
