// One opened socket and what the client tracks about it until it closes:
// the heartbeat, the welcome deadline, sync progress and the sends that
// wait for an ack.

import { BEARER_SUBPROTOCOL_PREFIX, PING_FRAME, PROTOCOL_SUBPROTOCOL } from '../../../protocol/frames';
import { Heartbeat } from './heartbeat';
import type { SocketFactory, SocketLike } from './socket-io';

/** Time from opening a socket to its `welcome` frame before the attempt counts as failed. */
export const WELCOME_TIMEOUT_MS = 15_000;

export interface Connection {
  socket: SocketLike;
  heartbeat: Heartbeat;
  welcomeTimer: ReturnType<typeof setTimeout> | null;
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

export interface ConnectionHooks {
  message(connection: Connection, data: unknown): void;
  close(connection: Connection, code: number, reason: string): void;
  /** The heartbeat or the welcome deadline expired. */
  dead(connection: Connection, reason: string): void;
}

/** Opens a socket that offers the protocol and the bearer token as subprotocols. */
export function openConnection(url: string, token: string, openSocket: SocketFactory, hooks: ConnectionHooks): Connection {
  let markClosed = () => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  // Browsers fire socket events asynchronously, so `connection` is set before the first one.
  let connection: Connection | undefined;
  const protocols = [PROTOCOL_SUBPROTOCOL, BEARER_SUBPROTOCOL_PREFIX + token];
  const socket = openSocket(url, protocols, {
    open: () => undefined,
    message: (data) => {
      if (connection) hooks.message(connection, data);
    },
    close: (code, reason) => {
      if (connection) hooks.close(connection, code, reason);
    },
  });

  const opened: Connection = {
    socket,
    heartbeat: new Heartbeat(
      () => socket.send(PING_FRAME),
      () => hooks.dead(opened, 'heartbeat timed out'),
    ),
    welcomeTimer: setTimeout(() => hooks.dead(opened, 'no welcome frame'), WELCOME_TIMEOUT_MS),
    welcomed: false,
    caughtUp: false,
    syncInFlight: false,
    resyncNeeded: false,
    lastSeq: 0,
    inflight: new Map(),
    closed,
    markClosed,
  };
  connection = opened;
  return opened;
}

/** Records the `welcome` frame: the deadline ends and the heartbeat starts. */
export function markWelcomed(connection: Connection): void {
  connection.welcomed = true;
  if (connection.welcomeTimer !== null) clearTimeout(connection.welcomeTimer);
  connection.welcomeTimer = null;
  connection.heartbeat.start();
}

/** Stops the connection's timers and releases everything that waits for it to close. */
export function retireConnection(connection: Connection): void {
  connection.heartbeat.stop();
  if (connection.welcomeTimer !== null) clearTimeout(connection.welcomeTimer);
  connection.welcomeTimer = null;
  connection.markClosed();
}

/** Ends the wait for the ack of `cid` once its ack or error arrived. */
export function settleSend(connection: Connection, cid: string): void {
  connection.inflight.get(cid)?.();
  connection.inflight.delete(cid);
}
