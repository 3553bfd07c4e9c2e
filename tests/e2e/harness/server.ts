import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_APP_INDEX } from './paths';
import { LOOPBACK, findFreePort, isPortOpen } from './ports';
import {
  killProcessGroup,
  runToCompletion,
  spawnLogged,
  tailOf,
  waitForExit,
} from './processes';
import {
  MIGRATION_TIMEOUT_MS,
  POLL_INTERVAL_MS,
  SERVER_START_TIMEOUT_MS,
  SERVER_STOP_TIMEOUT_MS,
} from './timeouts';
import { describeError, sleep, waitFor } from './wait';

/** A `wrangler dev` instance with its own D1, Durable Object and R2 state. */
export interface TestServer {
  /** Origin of the app and the API, for example http://127.0.0.1:41234 */
  url: string;
  logFile: string;
  /** Kills the whole process group; the persisted state stays for restart(). */
  stop(): Promise<void>;
  /** Stops the server if it runs and starts it again on the same port and state. */
  restart(): Promise<void>;
  /** Stops the server and deletes its persist directory. */
  dispose(): Promise<void>;
  logTail(lineCount?: number): string;
}

/**
 * Starts `wrangler dev` on a free port of 127.0.0.1 over a fresh persist
 * directory with the D1 migrations applied. It builds nothing: the caller
 * must have run `npx vite build` so that dist/web exists.
 */
export async function startServer(): Promise<TestServer> {
  if (!existsSync(BUILT_APP_INDEX)) {
    throw new Error(
      `Missing ${BUILT_APP_INDEX}: build the PWA with \`npx vite build\` before running the end-to-end tests.`,
    );
  }

  const persistDir = mkdtempSync(join(tmpdir(), 'feige-e2e-'));
  const logFile = join(persistDir, 'server.log');
  writeFileSync(logFile, `feige e2e server, persist directory ${persistDir}\n`);

  const server = new WranglerDevServer(persistDir, logFile, await findFreePort(), await findFreePort());
  try {
    await runToCompletion(
      'npx',
      ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir],
      logFile,
      MIGRATION_TIMEOUT_MS,
    );
    await server.start();
  } catch (error) {
    // The error message already carries the log tail; the directory would only leak.
    await server.dispose();
    throw error;
  }
  return server;
}

class WranglerDevServer implements TestServer {
  readonly url: string;
  private child: ChildProcess | undefined;

  constructor(
    private readonly persistDir: string,
    readonly logFile: string,
    private readonly port: number,
    private readonly inspectorPort: number,
  ) {
    this.url = `http://${LOOPBACK}:${port}`;
  }

  async start(): Promise<void> {
    await waitFor(
      `port ${this.port} to be free before starting wrangler dev`,
      async () => ((await isPortOpen(this.port)) ? undefined : true),
      SERVER_STOP_TIMEOUT_MS,
    );

    const child = spawnLogged(
      'npx',
      [
        'wrangler', 'dev',
        '--ip', LOOPBACK,
        '--port', String(this.port),
        '--inspector-ip', LOOPBACK,
        '--inspector-port', String(this.inspectorPort),
        '--persist-to', this.persistDir,
        '--log-level', 'warn',
        '--show-interactive-dev-session=false',
      ],
      this.logFile,
    );
    this.child = child;
    await waitForHealth(this.url, child, this.logFile);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;

    killProcessGroup(child, 'SIGTERM');
    if ((await waitForExit(child, SERVER_STOP_TIMEOUT_MS)) === undefined) {
      killProcessGroup(child, 'SIGKILL');
      await waitForExit(child, SERVER_STOP_TIMEOUT_MS);
    }
    // workerd can outlive the npx process that led the group; none of it may keep the port.
    killProcessGroup(child, 'SIGKILL');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.persistDir, { recursive: true, force: true });
  }

  logTail(lineCount?: number): string {
    return tailOf(this.logFile, lineCount);
  }
}

/** Polls the health route until it returns 200; fails at once if wrangler exits. */
async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const healthUrl = `${url}/api/v1/health`;
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  let lastProblem = 'no answer yet';

  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `wrangler dev exited (code ${child.exitCode}, signal ${child.signalCode}) before ${healthUrl} returned 200\n${tailOf(logFile)}`,
      );
    }
    try {
      const response = await fetch(healthUrl);
      if (response.status === 200) return;
      lastProblem = `status ${response.status}`;
    } catch (error) {
      lastProblem = describeError(error);
    }
    await sleep(POLL_INTERVAL_MS);
  }

  killProcessGroup(child, 'SIGKILL');
  throw new Error(
    `Timed out after ${SERVER_START_TIMEOUT_MS} ms waiting for ${healthUrl} to return 200 (last: ${lastProblem})\n${tailOf(logFile)}`,
  );
}
