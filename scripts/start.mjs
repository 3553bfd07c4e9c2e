// `npm start`: build the PWA, prepare local secrets and the local D1
// database, then serve everything at http://localhost:8787 through
// `wrangler dev`. Needs no Cloudflare account and no network.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT ?? '8787';

// CI=true keeps wrangler from asking questions (migrations confirm, telemetry).
// CLOUDFLARE_CF_FETCH_ENABLED=false stops Miniflare from downloading
// Request.cf data, so the local server makes no outbound request.
const quietEnv = {
  ...process.env,
  CI: 'true',
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
};

function run(command, args) {
  console.log(`[start] ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: quietEnv });
  if (result.status !== 0) {
    console.error(`[start] "${command} ${args.join(' ')}" failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

// Secrets the server keeps encrypted at rest are sealed with this key. It is
// made once per checkout and never committed (.gitignore lists .dev.vars).
function ensureDevVars() {
  const path = join(root, '.dev.vars');
  if (existsSync(path)) return;

  const key = randomBytes(32).toString('base64url');
  writeFileSync(path, `# Local secrets for wrangler dev; made by npm start. Do not commit.\nSECRETS_KEY=${key}\n`, {
    mode: 0o600,
  });
  console.log('[start] created .dev.vars with a new SECRETS_KEY');
}

ensureDevVars();
run('npx', ['vite', 'build']);
run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local']);

console.log(`[start] serving Feige at http://localhost:${port}`);
const server = spawn('npx', ['wrangler', 'dev', '--port', port], {
  cwd: root,
  stdio: 'inherit',
  env: quietEnv,
});
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
