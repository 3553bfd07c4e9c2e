// Bounds for every wait in the end-to-end suite, in milliseconds. They are
// generous because `wrangler dev`, workerd and Chromium share two cores.

/** `wrangler d1 migrations apply` on a fresh persist directory. */
export const MIGRATION_TIMEOUT_MS = 120_000;

/** From spawning `wrangler dev` to a 200 from GET /api/v1/health. */
export const SERVER_START_TIMEOUT_MS = 90_000;

/** From SIGTERM to the exit of the whole process group, before SIGKILL follows. */
export const SERVER_STOP_TIMEOUT_MS = 10_000;

/** An element appearing or changing after a click, a navigation or a local state change. */
export const UI_TIMEOUT_MS = 15_000;

/** A message or event crossing the server from one browser context to another. */
export const DELIVERY_TIMEOUT_MS = 30_000;

/**
 * Quiet period before counting messages to detect duplicates. This is the one
 * fixed sleep the suite allows: a duplicate that arrives later than this goes unseen.
 */
export const DUPLICATE_SETTLE_MS = 2_000;

/** Interval between two probes of a polled condition. */
export const POLL_INTERVAL_MS = 200;
