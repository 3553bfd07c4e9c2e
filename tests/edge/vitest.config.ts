import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineWorkersConfig, readD1Migrations } from '@cloudflare/vitest-pool-workers/config';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineWorkersConfig(async () => {
  // wrangler.toml serves dist/web as static assets and refuses to load when the
  // folder is missing; these tests need no built PWA, only the folder.
  mkdirSync(path.join(here, '../../dist/web'), { recursive: true });
  const migrations = await readD1Migrations(path.join(here, '../../migrations'));

  return {
    root: here,
    // Vite otherwise looks up tsconfig.json for every file and fails when the
    // root tsconfig.json references a program folder that has none yet. Only
    // `target` matters to esbuild's transform here; `npm run typecheck` does the type-checking.
    esbuild: { tsconfigRaw: JSON.stringify({ compilerOptions: { target: 'ES2022' } }) },
    test: {
      include: ['**/*.test.ts'],
      // Tests drive real sockets and PBKDF2 on workerd; on a busy two-core
      // machine a single test can take far longer than vitest's 5 s default.
      testTimeout: 30_000,
      hookTimeout: 30_000,
      setupFiles: ['./apply-migrations.ts'],
      poolOptions: {
        workers: {
          // WebSockets to Durable Objects do not work with isolated storage, so
          // tests share one D1 and stay independent through unique usernames.
          isolatedStorage: false,
          singleWorker: true,
          wrangler: { configPath: '../../wrangler.toml' },
          miniflare: {
            // SECRETS_KEY is a Worker secret; this fixed value is for tests only.
            bindings: {
              TEST_MIGRATIONS: migrations,
              LOG_LEVEL: 'warn',
              SECRETS_KEY: 'dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE',
            },
          },
        },
      },
    },
  };
});
