// The WebSocket protocol between the PWA and a user's Durable Object.
// Client-sent frames are validated with these schemas on the edge; the PWA
// validates server-sent frames the same way. docs/protocol.md describes each.
//
// Naming: `Client*` frames travel browser -> edge, `Server*` frames travel
// edge -> browser. Every frame is a JSON object keyed on `type`.

import * as z from 'zod/mini';
import { CID_MAX_LENGTH, CID_MIN_LENGTH, SYNC_PAGE_MAX } from './limits';
import { ERROR_CODES } from './errors';

/** Bumped on any incompatible change; offered as the WebSocket subprotocol `feige.v<N>`. */
export const PROTOCOL_VERSION = 1;
export const PROTOCOL_SUBPROTOCOL = `feige.v${PROTOCOL_VERSION}`;

/**
 * Browsers cannot set headers on a WebSocket, so the session token travels as
 * a second subprotocol `bearer.<token>`; the server echoes only PROTOCOL_SUBPROTOCOL.
 */
export const BEARER_SUBPROTOCOL_PREFIX = 'bearer.';

/** Close code for a socket whose session was revoked (signed out or signed in elsewhere). */
export const CLOSE_SESSION_REVOKED = 4001;

/**
 * Close code for an upgrade with a missing, unknown or revoked token. The
 * server accepts the socket, sends an `error` frame with code `unauthorized`
 * and closes with this code, because a browser cannot read an HTTP 401 on a
 * WebSocket upgrade.
 */
export const CLOSE_UNAUTHORIZED = 4003;

/** Heartbeat frames, answered by the runtime without waking a hibernated Durable Object. */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

// ---------------------------------------------------------------------------
// Shared pieces

const id = z.string().check(z.minLength(1), z.maxLength(64));
const seq = z.number().check(z.int(), z.nonnegative());

/**
 * What a message carries. Only plain text exists now; later kinds (encrypted
 * envelopes, files, call signals) join this union under their own `type`.
 * TEXT_MAX_BYTES is checked separately so that the error names the limit.
 */
export const messageContentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().check(z.minLength(1)) }),
]);
export type MessageContent = z.infer<typeof messageContentSchema>;

export const chatMessageSchema = z.object({
  id,
  conversationId: id,
  from: id,
  to: id,
  cid: z.string(),
  content: messageContentSchema,
  /** Server time in milliseconds since the Unix epoch, set when the sender's object stored it. */
  ts: z.number(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** One entry of a user's inbox. `seq` increases strictly within one inbox. */
export const inboxEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), seq, ts: z.number(), message: chatMessageSchema }),
  /** The user read a conversation up to `readSeq` on one of their devices. */
  z.object({ kind: z.literal('read'), seq, ts: z.number(), conversationId: id, readSeq: seq }),
]);
export type InboxEvent = z.infer<typeof inboxEventSchema>;

// ---------------------------------------------------------------------------
// Client -> server

export const clientSendSchema = z.object({
  type: z.literal('send'),
  cid: z.string().check(z.minLength(CID_MIN_LENGTH), z.maxLength(CID_MAX_LENGTH)),
  to: id,
  content: messageContentSchema,
});

/** Asks for inbox events with seq > `after`, at most `limit` of them (default and cap SYNC_PAGE_MAX). */
export const clientSyncSchema = z.object({
  type: z.literal('sync'),
  after: seq,
  limit: z.optional(z.number().check(z.int(), z.positive(), z.maximum(SYNC_PAGE_MAX))),
});

/** Marks a conversation read up to inbox seq `readSeq`, for the user's other devices. */
export const clientReadSchema = z.object({
  type: z.literal('read'),
  conversationId: id,
  readSeq: seq,
});

export const clientFrameSchema = z.discriminatedUnion('type', [
  clientSendSchema,
  clientSyncSchema,
  clientReadSchema,
]);
export type ClientSendFrame = z.infer<typeof clientSendSchema>;
export type ClientSyncFrame = z.infer<typeof clientSyncSchema>;
export type ClientReadFrame = z.infer<typeof clientReadSchema>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export const CLIENT_FRAME_TYPES = ['send', 'sync', 'read'] as const;

// ---------------------------------------------------------------------------
// Server -> client

/** First frame on every socket. `headSeq` is the newest seq in the user's inbox. */
export const serverWelcomeSchema = z.object({
  type: z.literal('welcome'),
  v: z.number(),
  userId: id,
  sessionId: id,
  headSeq: seq,
});

/** Sent after a `send` was stored durably; repeated unchanged for a resend with the same cid. */
export const serverAckSchema = z.object({
  type: z.literal('ack'),
  cid: z.string(),
  messageId: id,
  conversationId: id,
  seq,
  ts: z.number(),
});

/** A live inbox event, pushed as soon as it is stored. */
export const serverEventSchema = z.object({
  type: z.literal('event'),
  event: inboxEventSchema,
});

/** The answer to `sync`: events in seq order; `hasMore` means ask again after the last one. */
export const serverSyncPageSchema = z.object({
  type: z.literal('sync.page'),
  events: z.array(inboxEventSchema),
  hasMore: z.boolean(),
  headSeq: seq,
});

/** A failed frame. `cid` names the failed `send`; `limit` names a broken limit. */
export const serverErrorSchema = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  cid: z.optional(z.string()),
  limit: z.optional(z.number()),
  value: z.optional(z.number()),
});

/** The session of this socket was revoked; the server closes it with CLOSE_SESSION_REVOKED next. */
export const serverKickedSchema = z.object({
  type: z.literal('kicked'),
  reason: z.enum(['signed_in_elsewhere', 'signed_out']),
});

export const serverFrameSchema = z.discriminatedUnion('type', [
  serverWelcomeSchema,
  serverAckSchema,
  serverEventSchema,
  serverSyncPageSchema,
  serverErrorSchema,
  serverKickedSchema,
  z.object({ type: z.literal('pong') }),
]);
export type ServerWelcomeFrame = z.infer<typeof serverWelcomeSchema>;
export type ServerAckFrame = z.infer<typeof serverAckSchema>;
export type ServerEventFrame = z.infer<typeof serverEventSchema>;
export type ServerSyncPageFrame = z.infer<typeof serverSyncPageSchema>;
export type ServerErrorFrame = z.infer<typeof serverErrorSchema>;
export type ServerKickedFrame = z.infer<typeof serverKickedSchema>;
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/** The id of the 1:1 conversation between two users: the same on both sides. */
export function directConversationId(userA: string, userB: string): string {
  return userA < userB ? `d:${userA}:${userB}` : `d:${userB}:${userA}`;
}
