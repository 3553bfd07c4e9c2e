// Keeps an idle socket alive and detects a dead one. Browsers do not expose
// WebSocket ping frames, so the client sends PING_FRAME as text and the
// runtime replies with PONG_FRAME without waking a hibernated Durable Object.

/**
 * Time between pings while the socket is idle. Below the 30 to 60 second
 * idle timeouts that proxies, load balancers and mobile NATs commonly use.
 */
export const HEARTBEAT_INTERVAL_MS = 25_000;

/**
 * Time a ping may go unanswered before the socket counts as dead. A pong
 * normally takes one round trip; this leaves room for a slow mobile link.
 */
export const HEARTBEAT_TIMEOUT_MS = 10_000;

export class Heartbeat {
  private intervalTimer: ReturnType<typeof setInterval> | null = null;
  private deadlineTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly sendPing: () => void,
    private readonly onTimeout: () => void,
  ) {}

  start(): void {
    this.stop();
    this.intervalTimer = setInterval(() => this.ping(), HEARTBEAT_INTERVAL_MS);
  }

  /** Any frame from the server proves the socket alive, not only a pong. */
  received(): void {
    if (this.deadlineTimer === null) return;
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
  }

  stop(): void {
    if (this.intervalTimer !== null) clearInterval(this.intervalTimer);
    this.intervalTimer = null;
    this.received();
  }

  private ping(): void {
    if (this.deadlineTimer !== null) return;

    this.sendPing();
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = null;
      this.stop();
      this.onTimeout();
    }, HEARTBEAT_TIMEOUT_MS);
  }
}
