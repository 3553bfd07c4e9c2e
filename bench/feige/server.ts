// Feige under `wrangler dev` on 127.0.0.1: a fresh persist directory with the
// D1 migrations applied, a free port, and no outbound requests.

import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLogged } from '../system/processes';
import { startWranglerDev, wranglerEnv, type WorkerPath } from '../system/wrangler-dev';

const MIGRATION_TIMEOUT_MS = 120_000;
const BUILD_TIMEOUT_MS = 300_000;

export type FeigePath = WorkerPath;

export interface FeigeServer {
  /** Origin the bench's HTTP calls and sockets use, for example http://127.0.0.1:41234 */
  url: string;
  path: FeigePath;
  logFile: string;
  /** The inspector port of `wrangler dev`, for CPU profiles of the Worker's isolate. */
  inspectorPort: number;
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

  // SECRETS_KEY seals server-side secrets; a fresh one per run keeps .dev.vars out of the bench.
  const secretsKey = randomBytes(32).toString('base64url');
  let server;
  try {
    server = await startWranglerDev({
      cwd: sources,
      workDir,
      persistDir,
      logFile,
      vars: { SECRETS_KEY: secretsKey, LOG_LEVEL: 'warn' },
      path,
    });
  } catch (error) {
    rmSync(persistDir, { recursive: true, force: true });
    throw error;
  }

  return {
    url: server.url,
    path,
    logFile,
    inspectorPort: server.inspectorPort,
    workerdPid: server.workerdPid,
    stop: async () => {
      await server.stop();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
