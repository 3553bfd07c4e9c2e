// Child processes of the bench: each in its own process group with its output
// in a log file, so one signal stops a whole tree (npx → wrangler → workerd)
// and a failure can show the log tail. Every started group is registered so
// that teardown on error or Ctrl-C reaches it.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';

const LOG_TAIL_LINES = 30;
const STOP_GRACE_MS = 5_000;

const running = new Set<ChildProcess>();
/** Processes started by this bench outside its own process groups (ejabberd's beam runs under `su`). */
const detachedPids = new Set<number>();

export interface SpawnLoggedOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Runs the command as this user and group, which needs root. */
  uid?: number;
  gid?: number;
}

export function spawnLogged(command: string, args: string[], logFile: string, options: SpawnLoggedOptions): ChildProcess {
  const logFd = openSync(logFile, 'a');
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', logFd, logFd],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  };
  try {
    const child = spawn(command, args, spawnOptions);
    running.add(child);
    child.once('exit', () => running.delete(child));
    return child;
  } finally {
    closeSync(logFd);
  }
}

/** Resolves with the exit code (a signal counts as -1), or undefined if the process still runs after `timeoutMs`. */
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

/** Runs a command to completion; throws with the log tail if it fails or outlives `timeoutMs`. */
export async function runLogged(
  command: string,
  args: string[],
  logFile: string,
  options: SpawnLoggedOptions & { timeoutMs: number },
): Promise<void> {
  const child = spawnLogged(command, args, logFile, options);
  const code = await waitForExit(child, options.timeoutMs);
  if (code === undefined) {
    killGroup(child, 'SIGKILL');
    throw new Error(`\`${command} ${args.join(' ')}\` timed out after ${options.timeoutMs} ms\n${logTail(logFile)}`);
  }
  if (code !== 0) throw new Error(`\`${command} ${args.join(' ')}\` exited with code ${code}\n${logTail(logFile)}`);
}

/** Signals the child's whole process group; a group that is gone already is not an error. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Stops the group with SIGTERM, then SIGKILL after a grace period, and SIGKILL again for stragglers that left the leader behind. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  killGroup(child, 'SIGTERM');
  if ((await waitForExit(child, STOP_GRACE_MS)) === undefined) {
    killGroup(child, 'SIGKILL');
    await waitForExit(child, STOP_GRACE_MS);
  }
  killGroup(child, 'SIGKILL');
}

/** Kills every group this process started and that still runs: the teardown of last resort on a signal. */
export function killAllStarted(): void {
  for (const child of running) killGroup(child, 'SIGKILL');
  for (const pid of detachedPids) signalPid(pid, 'SIGKILL');
}

/** Registers a process that this bench started in another session, so that killAllStarted reaches it. */
export function trackDetachedPid(pid: number): void {
  detachedPids.add(pid);
}

/** Stops one tracked process with SIGTERM, then SIGKILL after a grace period. */
export async function stopPid(pid: number): Promise<void> {
  signalPid(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) signalPid(pid, 'SIGKILL');
  detachedPids.delete(pid);
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function isAlive(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
}

export function logTail(logFile: string, lines = LOG_TAIL_LINES): string {
  if (!existsSync(logFile)) return `(no log at ${logFile})`;
  const text = readFileSync(logFile, 'utf8').trimEnd().split('\n');
  return `--- last lines of ${logFile} ---\n${text.slice(-lines).join('\n')}`;
}

/** Resident set size of one process in bytes, from /proc/PID/status, or undefined if it is gone. */
export function residentBytes(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Ids of the processes whose command line contains `needle` and that descend from `rootPid` (or any process when it is undefined). */
export function findProcesses(needle: string, rootPid?: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const commandLine = readCommandLine(pid);
    if (commandLine === undefined || !commandLine.includes(needle)) continue;
    if (rootPid === undefined || descendsFrom(pid, rootPid)) found.push(pid);
  }
  return found;
}

function readCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in brackets may contain spaces, so fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

function descendsFrom(pid: number, rootPid: number): boolean {
  let current: number | undefined = pid;
  for (let depth = 0; current !== undefined && current > 1 && depth < 64; depth++) {
    if (current === rootPid) return true;
    current = parentOf(current);
  }
  return false;
}
