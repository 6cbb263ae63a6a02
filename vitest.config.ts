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
    // Most test files wait on I/O (simulated clusters, engines, Redis), so more files than
    // cores run at once; Vitest's default (cores - 1) runs them one at a time on 2 cores.
    // BASCULE_TEST_WORKERS overrides (1 runs them serially).
    maxWorkers: Number(process.env.BASCULE_TEST_WORKERS ?? 3),
    reporters: ['default'],
  },
});
