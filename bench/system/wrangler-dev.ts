// A Worker under `wrangler dev` on 127.0.0.1: a free port, a persist
// directory of the caller's, no outbound requests, and the origin of the
// workerd process that runs the Worker. Feige and the workerd floor both
// start this way, so their figures come from the same runtime and route.

import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { directOrigin } from './direct-origin';
import { holdsFileUnder, listeningPorts } from './host.mjs';
import { LOOPBACK, findFreePort } from './ports';
import { findProcesses, logTail, spawnLogged, stopGroup } from './processes';

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
export type WorkerPath = 'direct' | 'proxy';

export interface WranglerDevOptions {
  /** The directory with the Worker's wrangler.toml. */
  cwd: string;
  /** The directory for this server's own dev registry. */
  workDir: string;
  persistDir: string;
  logFile: string;
  /** `--var NAME:VALUE` arguments. */
  vars: Record<string, string>;
  path: WorkerPath;
}

export interface WranglerDev {
  /** Origin the bench's HTTP calls and sockets use, for example http://127.0.0.1:41234 */
  url: string;
  /** The inspector port of `wrangler dev`, for CPU profiles of the Worker's isolate. */
  inspectorPort: number;
  /** The workerd process that runs the Worker and every Durable Object, not wrangler's proxy. */
  workerdPid(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev` and waits until the Worker returns 200 for GET
 * /api/v1/health. With `path` 'direct' the returned `url` is the origin of the
 * workerd process that runs the Worker, so that clients bypass wrangler's
 * proxy as they would in production.
 */
export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const port = await findFreePort();
  const inspectorPort = await findFreePort();
  const child = spawnLogged(
    'npx',
    [
      'wrangler', 'dev',
      '--ip', LOOPBACK,
      '--port', String(port),
      '--inspector-ip', LOOPBACK,
      '--inspector-port', String(inspectorPort),
      '--persist-to', options.persistDir,
      ...Object.entries(options.vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      '--log-level', 'warn',
      '--show-interactive-dev-session=false',
    ],
    options.logFile,
    // A registry of its own, so that starting the other Worker of the bench does not reload this one.
    { cwd: options.cwd, env: wranglerEnv(mkdtempSync(join(options.workDir, 'wrangler-registry-'))) },
  );

  const proxyUrl = `http://${LOOPBACK}:${port}`;
  let url = proxyUrl;
  try {
    await waitForHealth(proxyUrl, child, options.logFile);
    if (options.path === 'direct') url = await directOrigin(findProcesses('workerd', child.pid), port);
  } catch (error) {
    await stopGroup(child);
    throw error;
  }

  // The Worker's workerd is the one that serves `url` past the proxy. Once
  // every object is evicted it may hold no file under the persist directory,
  // so the pid found is kept while that process lives.
  const directPort = Number(new URL(url).port);
  let known: number | undefined;
  const workerdPid = () => {
    if (known !== undefined && existsSync(`/proc/${known}`)) return known;
    const pids = findProcesses('workerd', child.pid);
    known =
      (options.path === 'direct' ? pids.find((pid) => listeningPorts(pid).includes(directPort)) : undefined) ??
      pids.find((pid) => holdsFileUnder(pid, options.persistDir));
    return known;
  };
  workerdPid();

  return { url, inspectorPort, workerdPid, stop: () => stopGroup(child) };
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
