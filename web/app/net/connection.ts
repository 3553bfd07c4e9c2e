// One opened socket and what the client tracks about it until it closes:
// the heartbeat, the welcome deadline, sync progress and the sends that
// wait for an ack.

import type { SocketFactory } from './socket-io';
import { endWelcomeWait, openSocketLink, stopLinkTimers, type SocketLink, type SocketLinkHooks } from './socket-link';

export { WELCOME_TIMEOUT_MS } from './socket-link';

export interface Connection extends SocketLink {
  welcomed: boolean;
  /** The initial sync finished: live events apply directly and the outbox may flush. */
  caughtUp: boolean;
  syncInFlight: boolean;
  /** A gap showed up while a sync was running, so the client syncs again when it ends. */
  resyncNeeded: boolean;
  lastSeq: number;
  /** Sent messages waiting for an ack or error, by cid. */
  inflight: Map<string, () => void>;
  /** Resolves when the connection is retired. */
  closed: Promise<void>;
  markClosed: () => void;
}

export type ConnectionHooks = SocketLinkHooks<Connection>;

/** Opens a socket that offers the protocol and the bearer token as subprotocols. */
export function openConnection(url: string, token: string, openSocket: SocketFactory, hooks: ConnectionHooks): Connection {
  let markClosed = () => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  const fields = {
    welcomed: false,
    caughtUp: false,
    syncInFlight: false,
    resyncNeeded: false,
    lastSeq: 0,
    inflight: new Map<string, () => void>(),
    closed,
    markClosed,
  };
  return openSocketLink(url, token, openSocket, 'welcome', fields, hooks);
}

/** Records the `welcome` frame: the deadline ends and the heartbeat starts. */
export function markWelcomed(connection: Connection): void {
  connection.welcomed = true;
  endWelcomeWait(connection);
}

/** Stops the connection's timers and releases everything that waits for it to close. */
export function retireConnection(connection: Connection): void {
  stopLinkTimers(connection);
  connection.markClosed();
}

/** Ends the wait for the ack of `cid` once its ack or error arrived. */
export function settleSend(connection: Connection, cid: string): void {
  connection.inflight.get(cid)?.();
  connection.inflight.delete(cid);
}
