// Waits for a server to evict the Durable Objects that a phase loaded. An
// object whose only connections are hibernatable WebSockets may leave memory
// while its sockets stay open, and workerd 1.20260310.1 evicts it 10 s after
// its last request ended (see IDLE_EVICTION_MAX_MS in workloads/reconnect.ts).

/** Interval between two counts of the server's open SQLite files. */
export const EVICTION_POLL_MS = 1_000;

export interface EvictionWait {
  /** Whether the count fell to `baseline` or below within the bound. */
  evicted: boolean;
  /** The last count read, or undefined when the process is gone. */
  files: number | undefined;
  waitedMs: number;
}

/**
 * Polls `readFiles` until it returns at most `baseline` (the count before
 * the phase loaded its objects), or until `maxMs` have passed. A bound of 0
 * reads once. Resolves with `evicted: false` past the bound, so the caller
 * reads its figure anyway and can report how many objects were still loaded.
 */
export async function waitForEviction(
  readFiles: () => number | undefined,
  baseline: number,
  maxMs: number,
  pollMs = EVICTION_POLL_MS,
): Promise<EvictionWait> {
  const started = Date.now();
  for (;;) {
    const files = readFiles();
    const waitedMs = Date.now() - started;
    if (files === undefined) return { evicted: false, files, waitedMs };
    if (files <= baseline) return { evicted: true, files, waitedMs };
    if (waitedMs >= maxMs) return { evicted: false, files, waitedMs };

    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, maxMs - waitedMs)));
  }
}

/**
 * Interval between two counts of workerd's open SQLite files while it evicts
 * objects. It is longer than workerd's 10 s eviction delay, so every object
 * that was idle at one count is gone by the next.
 */
export const SETTLE_POLL_MS = 12_000;

/**
 * Waits until `readFiles` (workerd's open SQLite files) stops falling, which
 * is when workerd has evicted the idle objects of earlier phases, or until
 * `maxMs` have passed. Local workerd keeps three files open per loaded
 * SQLite-backed object (database, WAL and shared memory) and evicts an object
 * 10 s after its last request. With about 4,000 objects loaded, SQLite in
 * workerd 1.20260310.1 failed with SQLITE_NOMEM and socket upgrades returned
 * 500. A fan-out to 10,000 members that began right after 3,000 online users
 * failed in workerd with "Too many open files". So the large phases wait for
 * eviction first.
 */
export async function settleOpenFiles(readFiles: () => number | undefined, maxMs: number, pollMs = SETTLE_POLL_MS): Promise<void> {
  const deadline = Date.now() + maxMs;
  let previous = readFiles();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const current = readFiles();
    if (current === undefined || previous === undefined || current >= previous) return;
    previous = current;
  }
}
