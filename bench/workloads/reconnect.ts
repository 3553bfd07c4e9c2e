// Workloads around reconnecting: catch-up of a stored backlog, a reconnect
// storm, and idle connections with the server's memory per connection.

import { withDeadline } from '../system/deadline';
import { waitForEviction } from '../system/object-eviction';
import type { Connection, Target } from '../targets/target';
import { mapConcurrent } from '../feige/users';
import { DeliveryTracker } from './delivery-tracker';

/** Connections opened at once while a pool of idle connections is built. */
const IDLE_CONNECT_CONCURRENCY = 50;

/**
 * Stores `backlog` messages for an offline user, then measures the time from
 * the start of its reconnect to the arrival of the last stored message.
 */
export async function measureCatchUp(target: Target, backlog: number, tag: string, timeoutMs: number): Promise<number> {
  if (!target.storeBacklog || !target.catchUp) throw new Error(`${target.label} keeps no messages`);

  // Users 2 and 3 of the chat pool, so that the latency pair's inboxes stay small.
  const users = await target.chatUsers(4);
  const sender = users[2]!;
  const recipient = users[3]!;
  const messages = await target.prepareMessages(sender, recipient, backlog, tag);
  await target.storeBacklog(messages, sender, timeoutMs);

  const tracker = new DeliveryTracker();
  tracker.expect(messages.map((message) => message.key));
  const started = performance.now();
  const connection = await target.catchUp(recipient, {
    onMessage: (key) => tracker.record(key),
    onProblem: (problem) => tracker.problem(problem),
    timeoutMs,
  });
  try {
    await withDeadline(tracker.waitForCount(backlog), timeoutMs, `${target.label} catch-up of ${backlog} messages`);
    const elapsed = performance.now() - started;
    // Old backlogs of earlier repetitions arrive too on a target that keeps them; only this run's keys must be exact.
    tracker.unexpected = 0;
    tracker.assertExactlyOnce(`${target.label} catch-up`);
    return elapsed;
  } finally {
    await connection.close();
  }
}

export interface StormResult {
  /** Time from the first reconnect to the last client that finished its resync. */
  totalMs: number;
  failures: number;
  /** The reason of the first failed reconnect, if any. */
  firstFailure?: string;
}

/** Connects `clients` users, drops every connection at once, then reconnects and resyncs them all at once. */
export async function measureStorm(target: Target, clients: number, timeoutMs: number): Promise<StormResult> {
  const users = await target.plainUsers(clients);
  const options = { onMessage: () => {}, onProblem: () => {}, timeoutMs };

  const first = await mapConcurrent(users.length, IDLE_CONNECT_CONCURRENCY, (i) => target.reconnect(users[i]!, options));
  for (const connection of first) connection.drop();

  // Each reconnect gets half the phase bound, so failed ones are counted and named before the phase itself times out.
  const stormOptions = { ...options, timeoutMs: Math.floor(timeoutMs / 2) };
  const started = performance.now();
  const outcomes = await Promise.allSettled(users.map((user) => target.reconnect(user, stormOptions)));
  const totalMs = performance.now() - started;

  const reconnected = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  await Promise.all(reconnected.map((connection) => connection.close()));

  const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
  const firstFailure = rejected === undefined ? undefined : String(rejected.reason);
  return { totalMs, failures: outcomes.length - reconnected.length, ...(firstFailure === undefined ? {} : { firstFailure }) };
}

export interface IdleResult {
  /**
   * Server RSS growth per idle connection, in bytes, read once the objects
   * the connections loaded were evicted or the eviction wait ended.
   */
  bytesPerConnection: number;
  /** Server RSS growth per idle connection, in bytes, read right after the last connection opened. */
  bytesPerConnectionConnected: number;
  held: number;
  /** Distinct users the connections belong to. */
  users: number;
  /**
   * Whether the server's open SQLite files fell back to their count before
   * the phase within evictionWaitBound(). Undefined for a target without
   * Durable Objects, where nothing is waited for.
   */
  evicted?: boolean;
  /** Open SQLite files above that count right after connecting; three per object the connections loaded on local workerd. */
  loadedDatabaseFiles?: number;
  /** Open SQLite files above that count when the memory was read; three per object still loaded on local workerd. */
  extraDatabaseFiles?: number;
  /** Time to open every connection, in milliseconds. */
  connectMs: number;
  /** Time from the last connection to the second memory reading, in milliseconds. */
  evictionWaitMs: number;
}

/**
 * Upper bound of the wait for the objects of idle users to leave memory
 * while their sockets stay open. workerd evicts an object 10 s after its
 * last request ended (`ActorContainer` in workerd's
 * src/workerd/server/server.c++), and `node bench/idle-memory.mjs` saw
 * 1,000 objects with 10,000 sockets evicted within 16 s.
 */
export const IDLE_EVICTION_MAX_MS = 60_000;

/** Part of the phase bound that the eviction wait leaves for closing the idle connections. */
export const IDLE_CLOSE_RESERVE_MS = 15_000;

/**
 * Returns how long the idle workload waits for eviction: IDLE_EVICTION_MAX_MS,
 * or less when connecting used so much of `timeoutMs` that the close would
 * not fit, and 0 when nothing is left.
 */
export function evictionWaitBound(timeoutMs: number, connectMs: number): number {
  return Math.max(0, Math.min(IDLE_EVICTION_MAX_MS, timeoutMs - connectMs - IDLE_CLOSE_RESERVE_MS));
}

/** Users that hold `count` idle connections at `perUser` connections each. */
export function idleUsers(count: number, perUser: number): number {
  return Math.ceil(count / perUser);
}

/**
 * Opens `count` idle connections, `perUser` of them per user (as tabs of one
 * session), and returns the server's RSS growth per connection twice: right
 * after connecting, and once the objects the connections loaded were evicted
 * (on Feige one UserDO per user, not per connection) or evictionWaitBound()
 * passed. Targets without Durable Objects are read at once both times.
 */
export async function measureIdle(target: Target, count: number, perUser: number, timeoutMs: number): Promise<IdleResult> {
  const userCount = idleUsers(count, perUser);
  const users = await target.plainUsers(userCount);
  const before = target.serverRss();
  if (before === undefined) throw new Error(`no RSS for the ${target.label} server process`);
  const filesBefore = target.openDatabaseFiles?.();

  const connections: Connection[] = [];
  const started = performance.now();
  try {
    // Connection i goes to user i % userCount, so the connections opened at once belong to different users.
    await withDeadline(
      mapConcurrent(count, IDLE_CONNECT_CONCURRENCY, async (i) => {
        const options = { onMessage: () => {}, onProblem: () => {}, timeoutMs, instance: Math.floor(i / userCount) };
        connections.push(await target.reconnect(users[i % userCount]!, options));
      }),
      timeoutMs,
      `${target.label} opening ${count} idle connections of ${userCount} users`,
    );
    // NOTE: RSS growth undercounts after earlier phases or repetitions. workerd's
    // TCMalloc keeps the memory of closed sockets and evicted objects and reuses
    // it without growing RSS, so only a fresh workerd shows the full cost
    // (`node bench/idle-memory.mjs`).
    const connected = readRss(target);
    const connectMs = performance.now() - started;
    const result = { bytesPerConnectionConnected: (connected - before) / count, held: connections.length, users: userCount, connectMs };
    if (filesBefore === undefined || !target.openDatabaseFiles) {
      return { ...result, bytesPerConnection: result.bytesPerConnectionConnected, evictionWaitMs: 0 };
    }

    const filesConnected = target.openDatabaseFiles() ?? filesBefore;
    const waitMs = evictionWaitBound(timeoutMs, connectMs);
    const wait = await waitForEviction(() => target.openDatabaseFiles?.(), filesBefore, waitMs);
    const idle = readRss(target);
    return {
      ...result,
      bytesPerConnection: (idle - before) / count,
      evictionWaitMs: wait.waitedMs,
      evicted: wait.evicted,
      loadedDatabaseFiles: Math.max(0, filesConnected - filesBefore),
      extraDatabaseFiles: Math.max(0, (wait.files ?? filesBefore) - filesBefore),
    };
  } finally {
    await Promise.all(connections.map((connection) => connection.close()));
  }
}

function readRss(target: Target): number {
  const rss = target.serverRss();
  if (rss === undefined) throw new Error(`the ${target.label} server process is gone`);
  return rss;
}
