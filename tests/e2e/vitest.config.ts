// End-to-end suite: each test file starts its own `wrangler dev` and headless
// Chromium, so files run one at a time to keep a two-core machine responsive.
// Run from the repository root after `npx vite build`:
//   npx vitest run --config tests/e2e/vitest.config.ts

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { POLL_INTERVAL_MS, UI_TIMEOUT_MS } from './harness/timeouts';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: repositoryRoot,
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    // Bounds for one test and for one hook (server start with migrations, browser launch).
    testTimeout: 180_000,
    hookTimeout: 150_000,
    teardownTimeout: 30_000,
    // expect.poll without its own timeout waits as long as a UI change may take.
    expect: { poll: { timeout: UI_TIMEOUT_MS, interval: POLL_INTERVAL_MS } },
  },
});
