// `npm run typecheck`: type-checks every TypeScript program of the project.
// There are several because Workers, DOM and service-worker type libraries
// conflict; each folder with a tsconfig.json below is one program.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const programs = ['edge', 'web', 'web/sw', 'tests/edge', 'tests/web', 'tests/crypto', 'tests/e2e', 'bench', 'bench/workerd-floor'];

let failed = 0;
for (const program of programs) {
  if (!existsSync(`${program}/tsconfig.json`)) continue;

  const result = spawnSync('npx', ['tsc', '-p', program], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[typecheck] ${program}: failed`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
