import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { REPOSITORY_ROOT } from './paths';

/**
 * Environment for every wrangler process: no prompts, no banner (whose update
 * check would contact the npm registry), no metrics, no error reports, and no
 * download of Request.cf data, so the server makes no outbound request.
 */
export const WRANGLER_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CI: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

/**
 * Runs a command in the repository root with its output appended to `logFile`.
 * Throws if it exits non-zero or outlives `timeoutMs`; the message carries the log tail.
 */
export async function runToCompletion(
  command: string,
  args: string[],
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const commandLine = [command, ...args].join(' ');
  appendFileSync(logFile, `\n$ ${commandLine}\n`);

  const child = spawnLogged(command, args, logFile);
  const exitCode = await waitForExit(child, timeoutMs);

  if (exitCode === undefined) {
    killProcessGroup(child, 'SIGKILL');
    throw new Error(`Timed out after ${timeoutMs} ms running \`${commandLine}\`\n${tailOf(logFile)}`);
  }
  if (exitCode !== 0) {
    throw new Error(`\`${commandLine}\` exited with code ${exitCode}\n${tailOf(logFile)}`);
  }
}

/**
 * Spawns a command in its own process group (so that one signal reaches npx,
 * wrangler and workerd), with stdout and stderr appended to `logFile`.
 */
export function spawnLogged(command: string, args: string[], logFile: string): ChildProcess {
  const logFd = openSync(logFile, 'a');
  try {
    return spawn(command, args, {
      cwd: REPOSITORY_ROOT,
      env: WRANGLER_ENV,
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }
}

/** Resolves with the exit code (signals count as -1), or undefined if it is still running after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | undefined> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(-1);

  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

/** Signals every process in the child's group; a group that is already gone is not an error. */
export function killProcessGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Returns the last `lineCount` lines of a log file, framed for test output. */
export function tailOf(logFile: string, lineCount = 60): string {
  if (!existsSync(logFile)) return `(no log at ${logFile})`;
  const lines = stripAnsi(readFileSync(logFile, 'utf8')).trimEnd().split('\n');
  const tail = lines.slice(-lineCount).join('\n');
  return `--- last ${Math.min(lineCount, lines.length)} lines of ${logFile} ---\n${tail}\n--- end of log ---`;
}

/** Removes terminal colour codes, which wrangler writes even with NO_COLOR set. */
function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
