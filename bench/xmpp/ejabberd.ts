// ejabberd from Debian (`apt-get install -y ejabberd erlang-p1-sqlite3`),
// started by the bench with its own configuration, spool, logs and SQLite
// file in a temp directory, listening on 127.0.0.1 only. Erlang distribution
// uses a fixed loopback port instead of epmd, so nothing binds 0.0.0.0.

import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { LOOPBACK, findFreePort } from '../system/ports';
import { findProcesses, logTail, spawnLogged, stopGroup, stopPid, trackDetachedPid } from '../system/processes';

export const EJABBERDCTL = '/usr/sbin/ejabberdctl';
export const EJABBERD_DOMAIN = 'bench.localhost';
export const MUC_DOMAIN = `conference.${EJABBERD_DOMAIN}`;
/** Home of the Debian package's ejabberd user, where Erlang keeps its distribution cookie. */
const EJABBERD_HOME = '/var/lib/ejabberd';
export const INSTALL_HINT = 'apt-get install -y ejabberd erlang-p1-sqlite3   (as root; ejabberd 23.01 in Debian 12)';

const START_TIMEOUT_MS = 60_000;
const POLL_MS = 250;
/** Offline messages kept per user: above the largest catch-up backlog the bench sends. */
const OFFLINE_MESSAGES_MAX = 200_000;
/** Pending connections the c2s listener queues; Linux caps it at net.core.somaxconn. */
const LISTEN_BACKLOG = 4_096;
/** Room occupants allowed: above the largest fan-out the bench runs. */
const ROOM_OCCUPANTS_MAX = 20_000;

export interface EjabberdServer {
  port: number;
  /** `archive`: mod_mam and offline storage in SQLite; `memory`: no archive, offline storage in Mnesia. */
  mode: EjabberdMode;
  version: string;
  beamPid(): number | undefined;
  stop(): Promise<void>;
}

export type EjabberdMode = 'archive' | 'memory';

/** Returns why ejabberd cannot run here, or undefined when it can. */
export function ejabberdUnavailable(): string | undefined {
  if (!existsSync(EJABBERDCTL)) return `ejabberdctl is missing; install it with: ${INSTALL_HINT}`;
  if (process.getuid?.() !== 0) return 'the bench must run as root to start ejabberd as the ejabberd user';
  return undefined;
}

export function ejabberdVersion(): string {
  try {
    const status = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'ejabberd'], { encoding: 'utf8' });
    return status.trim();
  } catch {
    return 'unknown';
  }
}

export async function startEjabberd(workDir: string, mode: EjabberdMode): Promise<EjabberdServer> {
  const base = mkdtempSync(join(workDir, `ejabberd-${mode}-`));
  const configDir = join(base, 'config');
  const spoolDir = join(base, 'spool');
  const logsDir = join(base, 'logs');
  for (const dir of [configDir, spoolDir, logsDir]) mkdirSync(dir);

  const port = await findFreePort();
  const distPort = await findFreePort();
  const node = `feigebench${mode}${process.pid}@localhost`;
  writeFileSync(join(configDir, 'ejabberd.yml'), ejabberdYaml(port, mode, join(spoolDir, 'archive.db')));
  writeFileSync(
    join(configDir, 'ejabberdctl.cfg'),
    [
      `ERLANG_NODE=${node}`,
      `ERL_DIST_PORT=${distPort}`,
      `INET_DIST_INTERFACE=${LOOPBACK}`,
      `EJABBERD_PID_PATH=${join(spoolDir, 'ejabberd.pid')}`,
      'ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0"',
      'ERL_MAX_PORTS=65536',
      '',
    ].join('\n'),
  );
  copyFileSync('/etc/ejabberd/inetrc', join(configDir, 'inetrc'));
  const logFile = join(base, 'console.log');
  writeFileSync(logFile, '');
  const user = ejabberdUser();
  handToEjabberdUser(user, base, [configDir, spoolDir, logsDir, logFile]);

  // Started as the ejabberd user directly, ejabberdctl skips its `su`, which
  // would reset the open-file limit to PAM's default of 1,024 and put the
  // Erlang VM out of reach of the group signal.
  const child = spawnLogged(
    EJABBERDCTL,
    ['--config-dir', configDir, '--spool', spoolDir, '--logs', logsDir, 'foreground'],
    logFile,
    { cwd: base, env: { ...process.env, HOME: EJABBERD_HOME, ERL_EPMD_ADDRESS: LOOPBACK }, uid: user.uid, gid: user.gid },
  );

  const findBeam = () => findProcesses(node).find((pid) => readComm(pid) === 'beam.smp');
  let beam: number | undefined;
  const stop = async () => {
    beam ??= findBeam();
    if (beam !== undefined) await stopPid(beam);
    await stopGroup(child);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await waitForListener(port, child, [logFile, join(logsDir, 'ejabberd.log'), join(logsDir, 'error.log')]);
    beam = findBeam();
    if (beam === undefined) throw new Error(`ejabberd listens on ${port} but no beam.smp process of node ${node} was found`);
    trackDetachedPid(beam);
  } catch (error) {
    await stop();
    throw error;
  }

  return { port, mode, version: ejabberdVersion(), beamPid: () => beam, stop };
}

function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function ejabberdUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'ejabberd'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'ejabberd'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** The server runs as the `ejabberd` user, which must own the files and directories it writes. */
function handToEjabberdUser(user: { uid: number; gid: number }, base: string, paths: string[]): void {
  chmodSync(base, 0o755);
  chownSync(base, user.uid, user.gid);
  for (const path of paths) chownSync(path, user.uid, user.gid);
}

/**
 * Builds the configuration: one virtual host, c2s on 127.0.0.1 without TLS or
 * shapers, in-band registration open to the bench, MUC with large rooms and
 * no history. With `archive`, mod_mam archives every message (1:1 and room)
 * in SQLite and offline messages go to SQLite too.
 */
function ejabberdYaml(port: number, mode: EjabberdMode, sqliteFile: string): string {
  const archive = mode === 'archive';
  const lines = [
    `hosts: ["${EJABBERD_DOMAIN}"]`,
    'loglevel: warning',
    'log_rotate_count: 0',
    'hide_sensitive_log_data: true',
    'registration_timeout: infinity',
    'auth_method: [internal]',
    'auth_password_format: plain',
    ...(archive ? ['sql_type: sqlite', `sql_database: "${sqliteFile}"`] : []),
    'listen:',
    `  - port: ${port}`,
    `    ip: "${LOOPBACK}"`,
    '    module: ejabberd_c2s',
    // ejabberd's default listen backlog is 5. A storm of reconnects then
    // overflows the accept queue, and the dropped SYNs wait for the kernel's
    // retransmits of 1, 3, 7 and 15 s, which measures TCP and not ejabberd.
    `    backlog: ${LISTEN_BACKLOG}`,
    '    max_stanza_size: 262144',
    '    shaper: none',
    '    access: all',
    'acl:',
    '  loopback:',
    '    ip: ["127.0.0.0/8"]',
    'access_rules:',
    '  register:',
    '    allow: all',
    '  register_from_loopback:',
    '    allow: loopback',
    'shaper_rules:',
    `  max_user_offline_messages: ${OFFLINE_MESSAGES_MAX}`,
    'modules:',
    '  mod_disco: {}',
    '  mod_ping: {}',
    '  mod_roster: {}',
    '  mod_register:',
    '    access: register',
    '    ip_access: register_from_loopback',
    '  mod_offline:',
    '    access_max_user_messages: max_user_offline_messages',
    `    db_type: ${archive ? 'sql' : 'mnesia'}`,
    '  mod_muc:',
    '    access: all',
    '    access_create: all',
    `    max_users: ${ROOM_OCCUPANTS_MAX}`,
    '    max_users_presence: 20',
    '    history_size: 0',
    '    default_room_options:',
    `      max_users: ${ROOM_OCCUPANTS_MAX}`,
    `      mam: ${archive}`,
    ...(archive ? ['  mod_mam:', '    db_type: sql', '    default: always'] : []),
    '',
  ];
  return lines.join('\n');
}

async function waitForListener(port: number, child: ChildProcess, logFiles: string[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`ejabberd exited (code ${child.exitCode}) before listening on ${port}\n${logFiles.map((file) => logTail(file)).join('\n')}`);
    }
    if (await portAnswers(port)) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`ejabberd did not listen on ${LOOPBACK}:${port} within ${START_TIMEOUT_MS} ms\n${logFiles.map((file) => logTail(file)).join('\n')}`);
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
