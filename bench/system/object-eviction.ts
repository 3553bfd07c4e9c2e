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
