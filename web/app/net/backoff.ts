// Reconnect delays: exponential backoff with jitter. Pure apart from the
// random source, which tests replace.

/**
 * Wait before the first retry. Long enough that a server restarting after a
 * deploy is not hit by every client within the same second, short enough
 * that a brief network drop is invisible to the user.
 */
export const BACKOFF_BASE_MS = 1_000;

/**
 * Ceiling of the wait. After a long outage a client comes back within this
 * time of the server returning, while a fleet of clients still spreads its
 * retries over it.
 */
export const BACKOFF_MAX_MS = 30_000;

/**
 * Share of each delay that is random. Clients dropped by the same event (a
 * server restart) would otherwise all reconnect at the same instant.
 */
export const BACKOFF_JITTER = 0.5;

/** Delay before retry number `attempt` (0 for the first): between half and all of min(max, base * 2^attempt). */
export function backoffDelay(attempt: number, random: () => number): number {
  const exponent = Math.max(0, Math.floor(attempt));
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** exponent);
  const share = 1 - BACKOFF_JITTER + BACKOFF_JITTER * random();
  return Math.round(ceiling * share);
}

/** Counts failed attempts since the last successful connection. */
export class ReconnectSchedule {
  private attempt = 0;

  constructor(private readonly random: () => number) {}

  /** Returns the delay before the next attempt and counts that attempt. */
  next(): number {
    const delay = backoffDelay(this.attempt, this.random);
    this.attempt++;
    return delay;
  }

  /** Starts again from the base delay, after a connection reached `welcome`. */
  reset(): void {
    this.attempt = 0;
  }
}
