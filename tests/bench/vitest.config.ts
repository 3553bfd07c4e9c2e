// The bench's own check: a tiny run against Feige under `wrangler dev` that
// proves the bench clients see every message exactly once. Run from the
// repository root (builds dist/web first if it is missing):
//   npx vitest run --config tests/bench/vitest.config.ts

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: repositoryRoot,
  test: {
    include: ['tests/bench/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    // Bounds for one test and for one hook (a web build, migrations and the server start).
    testTimeout: 120_000,
    hookTimeout: 400_000,
  },
});
