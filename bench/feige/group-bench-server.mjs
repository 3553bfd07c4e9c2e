// The server side of bench/group-fanout.mjs: a copy of the Worker's sources,
// a local D1 seeded with bench users and sessions, `wrangler dev` serving the
// copy on 127.0.0.1, and the address of the workerd process behind its proxy.

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, holdsFileUnder, listeningPorts } from '../system/host.mjs';

const SERVER_START_TIMEOUT_MS = 120_000;
/** Paths that `wrangler dev` reads. The bench serves a copy, so edits made elsewhere during the run reload nothing. */
const SNAPSHOT_PATHS = ['edge', 'protocol', 'migrations', 'wrangler.toml', 'tsconfig.base.json', 'package.json'];

const quietEnv = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' };

export const tokenOf = (n) => `bench-group-token-${n}`;
export const userIdOf = (n) => `bench-g-${n}`;
const sqlText = (value) => `'${value.replace(/'/g, "''")}'`;

/** Copies what `wrangler dev` reads from `root` into `sources`, with `node_modules` linked. */
export function snapshotSources(root, sources) {
  for (const path of SNAPSHOT_PATHS) cpSync(join(root, path), join(sources, path), { recursive: true });
  mkdirSync(join(sources, 'dist/web'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(sources, 'node_modules'), 'dir');
}

/** Applies the D1 migrations in `persistDir` and inserts `count` users with one session each. */
export function seedDatabase(sources, persistDir, workDir, count) {
  wrangler(sources, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir]);
  writeFileSync(join(workDir, 'seed.sql'), seedSql(count));
  wrangler(sources, ['d1', 'execute', 'DB', '--local', '--persist-to', persistDir, '--file', join(workDir, 'seed.sql'), '--yes']);
}

/** Builds the SQL for `count` users with one desktop session each. The password fields hold placeholders because seeded users never sign in. */
function seedSql(count) {
  const now = Date.now();
  const statements = [];
  for (let start = 0; start < count; start += 500) {
    const users = [];
    const sessions = [];
    for (let n = start; n < Math.min(start + 500, count); n++) {
      const hash = createHash('sha256').update(tokenOf(n)).digest('base64url');
      users.push(`(${sqlText(userIdOf(n))}, 'bg_${n}', 'bg_${n}', 'Bench ${n}', '', 'x', 'x', 1, ${now})`);
      sessions.push(`('bench-s-${n}', ${sqlText(userIdOf(n))}, ${sqlText(hash)}, 'desktop', 'bench', ${now}, ${now})`);
    }
    statements.push(
      `INSERT INTO users (id, username, username_key, display_name, bio, password_hash, password_salt, password_iterations, created_at) VALUES\n${users.join(',\n')};`,
      `INSERT INTO sessions (id, user_id, token_hash, device_class, user_agent, created_at, last_seen_at) VALUES\n${sessions.join(',\n')};`,
    );
  }
  return statements.join('\n');
}

function wrangler(cwd, args) {
  const result = spawnSync('npx', ['wrangler', ...args], { cwd, env: quietEnv, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed with exit code ${result.status}:\n${result.stderr}${result.stdout}`);
}

/**
 * Serves `sources` with `wrangler dev` and waits until /api/v1/health returns
 * 200. With `inspectorPort`, the DevTools inspector listens there on 127.0.0.1.
 */
export async function startServer(sources, persistDir, threshold, inspectorPort) {
  const port = await freePort();
  const args = ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persistDir, '--log-level', 'warn',
    '--show-interactive-dev-session=false', '--var', `GROUP_FANOUT_THRESHOLD:${threshold}`, '--var', 'LOG_LEVEL:warn',
    '--var', `SECRETS_KEY:${randomBytes(32).toString('base64url')}`];
  if (inspectorPort) args.push('--inspector-ip', '127.0.0.1', '--inspector-port', String(inspectorPort));
  const child = spawn('npx', args, { cwd: sources, env: quietEnv, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const stop = () => {
    if (child.exitCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/api/v1/health`)).ok) return { origin, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stop();
  throw new Error(`${origin}/api/v1/health did not return 200 within ${SERVER_START_TIMEOUT_MS} ms; see the wrangler output above`);
}

/**
 * Finds the origin of the workerd process that runs the Worker. That process
 * has files under `persistDir` open, and one of its listening ports returns
 * 200 for /api/v1/health.
 */
export async function directOrigin(persistDir) {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    if (!isWorkerd(pid) || !holdsFileUnder(pid, persistDir)) continue;

    for (const port of listeningPorts(pid)) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return `http://127.0.0.1:${port}`;
      } catch {
        // Not the HTTP entry of this process.
      }
    }
  }
  throw new Error(`no workerd process with files under ${persistDir} serves /api/v1/health`);
}

function isWorkerd(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd');
  } catch {
    return false;
  }
}
