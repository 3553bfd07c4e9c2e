// Feige under `wrangler dev` on 127.0.0.1: a fresh persist directory with the
// D1 migrations applied, a free port, and no outbound requests.

import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { directOrigin } from '../system/direct-origin';
import { LOOPBACK, findFreePort } from '../system/ports';
import { findProcesses, logTail, runLogged, spawnLogged, stopGroup } from '../system/processes';
import { holdsFileUnder } from '../system/host.mjs';

const MIGRATION_TIMEOUT_MS = 120_000;
const BUILD_TIMEOUT_MS = 300_000;
const START_TIMEOUT_MS = 120_000;
const HEALTH_POLL_MS = 250;

/**
 * No prompts, banner, metrics or error reports from wrangler, and no
 * download of Request.cf data by Miniflare, so the server makes no outbound request.
 */
export function wranglerEnv(registryDir?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // wrangler dev reloads its Worker whenever the shared dev registry
    // (~/.wrangler/registry) changes, that is whenever any other local
    // `wrangler dev` starts or stops, so the bench keeps a registry of its own.
    ...(registryDir === undefined ? {} : { WRANGLER_REGISTRY_PATH: registryDir }),
    CI: 'true',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    NO_COLOR: '1',
  };
}

/** The route from the bench's clients to the Worker: its own workerd process, or wrangler's dev proxy in front of it. */
export type FeigePath = 'direct' | 'proxy';

export interface FeigeServer {
  /** Origin the bench's HTTP calls and sockets use, for example http://127.0.0.1:41234 */
  url: string;
  path: FeigePath;
  logFile: string;
  /** The workerd process that runs the Worker and every Durable Object, not wrangler's proxy. */
  workerdPid(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Builds dist/web with `npx vite build` when its index.html is missing. Tests
 * use it, because they may run side by side and must not rebuild under each other.
 */
export async function ensureWebBuild(root: string, logFile: string): Promise<void> {
  if (existsSync(join(root, 'dist', 'web', 'index.html'))) return;
  await buildWeb(root, logFile);
}

/** Builds dist/web with `npx vite build`, so that a run measures the sources it starts from and not an older build. */
export async function buildWeb(root: string, logFile: string): Promise<void> {
  await runLogged('npx', ['vite', 'build'], logFile, { cwd: root, env: wranglerEnv(), timeoutMs: BUILD_TIMEOUT_MS });
}

/** Paths that `wrangler dev` reads: the Worker's sources, the migrations, the config and the built PWA. */
const SNAPSHOT_PATHS = ['edge', 'protocol', 'migrations', 'wrangler.toml', 'tsconfig.base.json', 'package.json', join('dist', 'web')];

/**
 * Copies what `wrangler dev` reads into `workDir`. wrangler restarts the
 * Worker whenever a source file changes, which would break a long run in a
 * working tree that others edit, so the bench serves a copy taken at its start.
 */
function snapshotSources(root: string, workDir: string): string {
  const snapshot = mkdtempSync(join(workDir, 'feige-src-'));
  for (const path of SNAPSHOT_PATHS) cpSync(join(root, path), join(snapshot, path), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(snapshot, 'node_modules'), 'dir');
  return snapshot;
}

/**
 * Starts `wrangler dev` on a snapshot of the sources. With `path` 'direct'
 * (the default) the returned `url` is the origin of the workerd process that
 * runs the Worker, so that clients bypass wrangler's proxy as they would in
 * production.
 */
export async function startFeige(root: string, workDir: string, path: FeigePath = 'direct'): Promise<FeigeServer> {
  const sources = snapshotSources(root, workDir);
  const persistDir = mkdtempSync(join(workDir, 'feige-state-'));
  const logFile = join(workDir, 'feige.log');
  writeFileSync(logFile, `feige bench server, persist directory ${persistDir}\n`);

  await runLogged('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir], logFile, {
    cwd: sources,
    env: wranglerEnv(),
    timeoutMs: MIGRATION_TIMEOUT_MS,
  });

  const port = await findFreePort();
  const inspectorPort = await findFreePort();
  // SECRETS_KEY seals server-side secrets; a fresh one per run keeps .dev.vars out of the bench.
  const secretsKey = randomBytes(32).toString('base64url');
  const child = spawnLogged(
    'npx',
    [
      'wrangler', 'dev',
      '--ip', LOOPBACK,
      '--port', String(port),
      '--inspector-ip', LOOPBACK,
      '--inspector-port', String(inspectorPort),
      '--persist-to', persistDir,
      '--var', `SECRETS_KEY:${secretsKey}`,
      '--var', 'LOG_LEVEL:warn',
      '--log-level', 'warn',
      '--show-interactive-dev-session=false',
    ],
    logFile,
    { cwd: sources, env: wranglerEnv(join(workDir, 'wrangler-registry')) },
  );

  const proxyUrl = `http://${LOOPBACK}:${port}`;
  const workerdPid = () => findProcesses('workerd', child.pid).find((pid) => holdsFileUnder(pid, persistDir));
  let url = proxyUrl;
  try {
    await waitForHealth(proxyUrl, child, logFile);
    if (path === 'direct') url = await directOrigin(findProcesses('workerd', child.pid), port);
  } catch (error) {
    await stopGroup(child);
    rmSync(persistDir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    path,
    logFile,
    workerdPid,
    stop: async () => {
      await stopGroup(child);
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const healthUrl = `${url}/api/v1/health`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited (code ${child.exitCode}) before ${healthUrl} returned 200\n${logTail(logFile)}`);
    }
    try {
      const response = await fetch(healthUrl);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
  throw new Error(`${healthUrl} did not return 200 within ${START_TIMEOUT_MS} ms\n${logTail(logFile)}`);
}
