import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Inside the workspace, packages resolve to their TypeScript source through
// this export condition, so tests need no build step.
const SOURCE_CONDITION = '@tunnelvision/source';

export default defineConfig({
  resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.next/**', '**/dist/**'],
    // chDB binds one data directory per process (and per worker thread's
    // process), so every test file gets its own forked process.
    pool: 'forks',
    // Two files at a time even on two cores (the default leaves one core
    // idle): much of the suite waits on timers, sockets and Chromium, so the
    // run takes about half as long.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
