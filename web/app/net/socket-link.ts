// The socket lifecycle that the user socket and the group sockets share: the
// subprotocols that carry the token, the heartbeat, the deadline for the
// welcome frame, and closing a socket the client gives up on.

import { BEARER_SUBPROTOCOL_PREFIX, PING_FRAME, PROTOCOL_SUBPROTOCOL } from '../../../protocol/frames';
import { Heartbeat } from './heartbeat';
import type { SocketFactory, SocketLike } from './socket-io';

/** Time from opening a socket to its welcome frame before the attempt counts as failed. */
export const WELCOME_TIMEOUT_MS = 15_000;

/** Close code for a deliberate close with nothing wrong (RFC 6455, section 7.4.1). */
export const CLOSE_NORMAL = 1000;

/** Close code this client uses when it drops a socket itself; 4000-4999 is free for applications. */
export const CLOSE_CLIENT_DROPPED = 4000;

export interface SocketLink {
  socket: SocketLike;
  heartbeat: Heartbeat;
  welcomeTimer: ReturnType<typeof setTimeout> | null;
}

export interface SocketLinkHooks<Link> {
  message(link: Link, data: unknown): void;
  close(link: Link, code: number, reason: string): void;
  /** The heartbeat or the welcome deadline expired. */
  dead(link: Link, reason: string): void;
}

/**
 * Opens a socket that offers the protocol and the bearer token as
 * subprotocols, and returns it with `fields` as one record. The welcome
 * deadline runs from here; `welcomeFrame` names the frame in the reason.
 */
export function openSocketLink<Fields extends object>(
  url: string,
  token: string,
  openSocket: SocketFactory,
  welcomeFrame: string,
  fields: Fields,
  hooks: SocketLinkHooks<SocketLink & Fields>,
): SocketLink & Fields {
  // Browsers fire socket events asynchronously, so `link` is set before the first one.
  let link: (SocketLink & Fields) | undefined;
  const protocols = [PROTOCOL_SUBPROTOCOL, BEARER_SUBPROTOCOL_PREFIX + token];
  const socket = openSocket(url, protocols, {
    open: () => undefined,
    message: (data) => {
      if (link) hooks.message(link, data);
    },
    close: (code, reason) => {
      if (link) hooks.close(link, code, reason);
    },
  });

  const opened: SocketLink & Fields = {
    ...fields,
    socket,
    heartbeat: new Heartbeat(
      () => socket.send(PING_FRAME),
      () => hooks.dead(opened, 'heartbeat timed out'),
    ),
    welcomeTimer: setTimeout(() => hooks.dead(opened, `no ${welcomeFrame} frame`), WELCOME_TIMEOUT_MS),
  };
  link = opened;
  return opened;
}

/** Records the welcome frame: the deadline ends and the heartbeat starts. */
export function endWelcomeWait(link: SocketLink): void {
  if (link.welcomeTimer !== null) clearTimeout(link.welcomeTimer);
  link.welcomeTimer = null;
  link.heartbeat.start();
}

/** Stops the heartbeat and the welcome deadline. */
export function stopLinkTimers(link: SocketLink): void {
  link.heartbeat.stop();
  if (link.welcomeTimer !== null) clearTimeout(link.welcomeTimer);
  link.welcomeTimer = null;
}

/** Closes the socket, logging a failure under `logTag` instead of raising it, because the client is done with it either way. */
export function closeSocketQuietly(link: SocketLink, code: number, reason: string, logTag: string): void {
  try {
    link.socket.close(code, reason);
  } catch (error) {
    console.warn(`${logTag} close failed`, error);
  }
}
