// Per-socket data and frame output for hibernatable WebSockets. The data lives
// in the socket's serialized attachment, so it survives hibernation while the
// object's memory does not.

import * as z from 'zod/mini';
import {
  BEARER_SUBPROTOCOL_PREFIX,
  CLOSE_UNAUTHORIZED,
  PROTOCOL_SUBPROTOCOL,
  type ServerErrorFrame,
  type ServerFrame,
} from '../../protocol/frames';
import { validate } from '../validation';

export const socketAttachmentSchema = z.object({
  userId: z.string(),
  sessionId: z.string(),
  /** Tells sockets apart, so a broadcast can skip the socket a frame came from. */
  socketId: z.string(),
});
export type SocketAttachment = z.infer<typeof socketAttachmentSchema>;

/**
 * Attachments already read and checked, per socket. An attachment is written
 * once, when the object accepts the socket, so an entry never goes stale. The
 * map lives in memory only, so after hibernation the first read per socket
 * deserializes again.
 */
const attachments = new WeakMap<WebSocket, SocketAttachment>();

export function readAttachment(ws: WebSocket): SocketAttachment | undefined {
  const cached = attachments.get(ws);
  if (cached) return cached;

  const result = validate(socketAttachmentSchema, ws.deserializeAttachment());
  if (!result.ok) return undefined;
  attachments.set(ws, result.value);
  return result.value;
}

/** Sends `frame` if the socket is still open; returns whether it was sent. */
export function sendFrame(ws: WebSocket, frame: ServerFrame): boolean {
  return sendText(ws, JSON.stringify(frame));
}

/** Sends a frame already serialized as JSON, so a broadcast serializes it once for all sockets. */
export function sendText(ws: WebSocket, text: string): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false;
  ws.send(text);
  return true;
}

/** Splits a Sec-WebSocket-Protocol header into the offered subprotocols. */
export function parseSubprotocols(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** Returns the session token offered as the `bearer.<token>` subprotocol, if any. */
export function bearerTokenOf(subprotocols: readonly string[]): string | undefined {
  const entry = subprotocols.find((protocol) => protocol.startsWith(BEARER_SUBPROTOCOL_PREFIX));
  const token = entry?.slice(BEARER_SUBPROTOCOL_PREFIX.length);
  return token ? token : undefined;
}

/**
 * Completes an upgrade only to reject it. A browser cannot read the status of
 * a failed upgrade, so the client gets an `unauthorized` error frame and the
 * close code CLOSE_UNAUTHORIZED instead.
 */
export function rejectedSocketResponse(message: string): Response {
  const [client, server] = Object.values(new WebSocketPair());
  server.accept();

  const frame: ServerErrorFrame = { type: 'error', code: 'unauthorized', message };
  server.send(JSON.stringify(frame));
  server.close(CLOSE_UNAUTHORIZED, 'unauthorized');

  return upgradeResponse(client);
}

/** Builds the 101 response to an upgrade, naming the one subprotocol the server speaks. */
export function upgradeResponse(client: WebSocket): Response {
  return new Response(null, {
    status: 101,
    webSocket: client,
    headers: { 'Sec-WebSocket-Protocol': PROTOCOL_SUBPROTOCOL },
  });
}
