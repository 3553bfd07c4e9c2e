// `node bench/idle-memory.mjs`: an experiment on Feige's idle sockets. It
// starts Feige under `wrangler dev` on 127.0.0.1, keeps N idle sockets of
// N / per-user users, and prints workerd's resident memory and open SQLite
// files every few seconds, so one can see whether and when local workerd
// evicts the `UserDO`s whose only connections are hibernatable sockets.
// With --cohorts 2 or more, a new set of users of the same size connects
// after each watch and the earlier sockets stay open, which shows how much of
// the memory that evicted objects freed workerd reuses. At the end one socket
// of each user sends a `read` frame, which wakes the user's object, and every
// other socket of that user must receive the `read` event.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFeige, type FeigeServer } from './feige/server';
import { FeigeSocket } from './feige/socket';
import { createAccount, mapConcurrent } from './feige/users';
import { withDeadline } from './system/deadline';
import { openFiles, residentSplit } from './system/memory-map';
import { killAllStarted } from './system/processes';

const ROOT = process.env.FEIGE_BENCH_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const USAGE = `Usage: node bench/idle-memory.mjs [--sockets N] [--per-user N] [--cohorts N] [--watch-s N] [--poll-s N] [--wake 0|1]
  --sockets N    idle sockets each cohort opens (default 1000, 1..100000)
  --cohorts N    cohorts of new users that connect one after the other (default 1, 1..5); every
                 socket stays open, so sockets x cohorts must stay below workerd's open-file limit (ulimit -n)
  --per-user N   sockets per user, like tabs of one session (default 10, 1..100)
  --watch-s N    seconds to watch workerd after each cohort's last socket opened (default 180, 1..1800)
  --poll-s N     seconds between two samples (default 5, 1..60)
  --wake 0|1     send the read frame that wakes every user's object at the end (default 1)`;

interface Options {
  sockets: number;
  cohorts: number;
  perUser: number;
  watchS: number;
  pollS: number;
  wake: number;
}

const SIGN_UP_CONCURRENCY = 2;
const CONNECT_CONCURRENCY = 50;
const SOCKET_TIMEOUT_MS = 60_000;
const WAKE_TIMEOUT_MS = 120_000;
/** Anonymous regions smaller than this are left out of the report line. */
const REGION_REPORT_MIN_BYTES = 4 * 1024 * 1024;

export async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }

  const workDir = mkdtempSync(join(tmpdir(), 'feige-idle-'));
  const onSignal = () => {
    killAllStarted();
    rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let server: FeigeServer | undefined;
  try {
    server = await startFeige(ROOT, workDir, 'direct');
    await run(server, options);
    return 0;
  } finally {
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function run(server: FeigeServer, options: Options): Promise<void> {
  const pid = server.workerdPid();
  if (pid === undefined) throw new Error('no workerd process for the Worker');

  const userCount = Math.ceil(options.sockets / options.perUser);
  const tag = Date.now().toString(36);
  const users = await mapConcurrent(userCount * options.cohorts, SIGN_UP_CONCURRENCY, (i) => createAccount(server.url, `im${tag}_${i}`));
  report(pid, 'users made, no socket open');

  const cohorts: Cohort[] = [];
  const problems: string[] = [];
  for (let c = 0; c < options.cohorts; c++) {
    const cohort = await connectCohort(server.url, users.slice(c * userCount, (c + 1) * userCount), options.sockets, problems);
    cohorts.push(cohort);
    report(pid, `cohort ${c + 1}: ${options.sockets} sockets of ${userCount} users open after ${(cohort.connectMs / 1000).toFixed(1)} s`);

    const watchStart = Date.now();
    while (Date.now() - watchStart < options.watchS * 1000) {
      await new Promise((resolve) => setTimeout(resolve, options.pollS * 1000));
      report(pid, `cohort ${c + 1} idle ${((Date.now() - watchStart) / 1000).toFixed(0)} s`);
    }
  }

  for (const [c, cohort] of cohorts.entries()) {
    if (options.wake === 1) await checkWake(pid, cohort, userCount, `cohort ${c + 1}`);
  }
  if (problems.length > 0) log(`${problems.length} socket problems, the first: ${problems[0]}`);
  await Promise.all(cohorts.flatMap((cohort) => cohort.sockets.map((socket) => socket.close())));
  report(pid, 'sockets closed');
}

interface Cohort {
  sockets: FeigeSocket[];
  /** `read` events each socket received. */
  readEvents: number[];
  connectMs: number;
}

/** Opens `count` sockets spread over `users`, socket i for user i % users.length. */
async function connectCohort(origin: string, users: { token: string }[], count: number, problems: string[]): Promise<Cohort> {
  const started = Date.now();
  const readEvents = new Array<number>(count).fill(0);
  const sockets = await mapConcurrent(count, CONNECT_CONCURRENCY, (i) =>
    FeigeSocket.open(
      origin,
      users[i % users.length]!.token,
      {
        onEvent: (event) => {
          if (event.kind === 'read') readEvents[i]! += 1;
        },
        onProblem: (problem) => problems.push(problem),
      },
      SOCKET_TIMEOUT_MS,
    ),
  );
  return { sockets, readEvents, connectMs: Date.now() - started };
}

/** Sends one `read` frame from the first socket of each user and waits until every other socket of that user has the event. */
async function checkWake(pid: number, cohort: Cohort, userCount: number, name: string): Promise<void> {
  const { sockets, readEvents } = cohort;
  const expected = sockets.length - userCount;
  const started = Date.now();
  for (let user = 0; user < userCount; user++) {
    sockets[user]!.sendText(JSON.stringify({ type: 'read', conversationId: 'idle-memory-wake', readSeq: 0 }));
  }

  const received = () => readEvents.reduce((sum, count, i) => sum + (i >= userCount && count > 0 ? 1 : 0), 0);
  await withDeadline(
    (async () => {
      while (received() < expected) await new Promise((resolve) => setTimeout(resolve, 100));
    })(),
    WAKE_TIMEOUT_MS,
    `the read event on ${expected} sockets`,
  ).catch((error: unknown) => log(String(error)));
  report(pid, `${name} woken: ${received()} of ${expected} other sockets had the read event after ${Date.now() - started} ms`);
}

function report(pid: number, what: string): void {
  const files = openFiles(pid);
  const split = residentSplit(pid);
  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  if (!files || !split) {
    log(`${what}: workerd ${pid} is gone`);
    return;
  }
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const regions = [...split.anonymousByRegion]
    .filter(([, bytes]) => bytes >= REGION_REPORT_MIN_BYTES)
    .sort((a, b) => b[1] - a[1])
    .map(([region, bytes]) => `${region}: ${mib(bytes)}`)
    .join(', ');
  log(
    `${what}: rss ${mib(split.total)} MiB (brk heap ${mib(split.brkHeap)}, anonymous ${mib(split.anonymous)} [${regions}], ` +
      `sqlite-shm ${mib(split.sqliteShm)}, other files ${mib(split.otherFiles)}), ` +
      `open files ${files.total}, sqlite files ${files.sqlite}, load ${load}`,
  );
}

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function parseOptions(argv: string[]): Options {
  const options: Options = { sockets: 1_000, cohorts: 1, perUser: 10, watchS: 180, pollS: 5, wake: 1 };
  const bounds: Record<string, [keyof Options, number, number]> = {
    '--sockets': ['sockets', 1, 100_000],
    '--cohorts': ['cohorts', 1, 5],
    '--per-user': ['perUser', 1, 100],
    '--watch-s': ['watchS', 1, 1_800],
    '--poll-s': ['pollS', 1, 60],
    '--wake': ['wake', 0, 1],
  };
  for (let i = 0; i < argv.length; i += 2) {
    const bound = bounds[argv[i]!];
    if (!bound) throw new Error(`unknown flag ${argv[i]}`);
    const value = Number(argv[i + 1]);
    const [key, min, max] = bound;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`invalid ${argv[i]} ${argv[i + 1]}: expected an integer from ${min} to ${max}`);
    }
    options[key] = value;
  }
  return options;
}
