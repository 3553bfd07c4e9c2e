// The WebSocket protocol between the PWA and a user's Durable Object.
// Client-sent frames are validated with these schemas on the edge; the PWA
// validates server-sent frames the same way. docs/protocol.md describes each.
//
// Naming: `Client*` frames travel browser -> edge, `Server*` frames travel
// edge -> browser. Every frame is a JSON object keyed on `type`.

import * as z from 'zod/mini';
import { CID_MAX_LENGTH, CID_MIN_LENGTH, GROUP_SYNC_PAGE_MAX, SENDS_PER_FRAME_MAX, SYNC_PAGE_MAX } from './limits';
import { ERROR_CODES } from './errors';
import { deviceIdSchema, envelopeSchema } from './envelope';
import { groupChangeSchema, groupLogEntrySchema, groupMessageContentSchema, groupMessageSchema } from './groups';
import { friendActionSchema, settingsChangeSchema, userSummarySchema } from './relations';

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

/** Heartbeat frames; the runtime replies without waking a hibernated Durable Object. */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

// ---------------------------------------------------------------------------
// Shared pieces

const id = z.string().check(z.minLength(1), z.maxLength(64));
const seq = z.number().check(z.int(), z.nonnegative());

/**
 * The content of a message. Clients send 1:1 messages only as `e2e`: an
 * envelope the edge checks for shape, size and addressed devices but cannot
 * read. `text` remains for messages stored before end-to-end encryption,
 * which the PWA still shows; the edge rejects new `text` sends with
 * `encryption_required`. Later kinds (files, call signals) join this union
 * under their own `type`. Byte limits are checked separately so that the
 * error names the limit.
 */
export const messageContentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().check(z.minLength(1)) }),
  z.object({ type: z.literal('e2e'), envelope: envelopeSchema }),
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
  /** `follower` started following the user. Unfollowing adds no event. */
  z.object({ kind: z.literal('follow'), seq, ts: z.number(), follower: userSummarySchema }),
  /**
   * A friendship step taken by `user`: a request to this user (with its
   * message and expiry), the response to this user's request, or the end of
   * the friendship.
   */
  z.object({
    kind: z.literal('friend'),
    seq,
    ts: z.number(),
    action: friendActionSchema,
    user: userSummarySchema,
    message: z.optional(z.string()),
    expiresAt: z.optional(z.number()),
  }),
  /** The user changed a setting on one of their devices; the other devices apply it. */
  z.object({ kind: z.literal('settings'), seq, ts: z.number(), settings: settingsChangeSchema }),
  /** A message in a group of `inbox` delivery, in group order. */
  z.object({ kind: z.literal('group.message'), seq, ts: z.number(), groupId: id, message: groupMessageSchema }),
  /** A change in a group that concerns this user; `groupSeq` is absent for changes kept out of the group log. */
  z.object({
    kind: z.literal('group'),
    seq,
    ts: z.number(),
    groupId: id,
    groupSeq: z.optional(seq),
    change: groupChangeSchema,
  }),
]);
export type InboxEvent = z.infer<typeof inboxEventSchema>;

// ---------------------------------------------------------------------------
// Client -> server

export const clientSendSchema = z.object({
  type: z.literal('send'),
  cid: z.string().check(z.minLength(CID_MIN_LENGTH), z.maxLength(CID_MAX_LENGTH)),
  to: id,
  content: messageContentSchema,
  /**
   * Set on a sender-key distribution to a member of this group. The edge then
   * checks that sender and recipient are both members instead of the
   * relation (privacy, blocks, mutes), and the cid must be a control cid.
   */
  groupId: z.optional(id),
});

/** Prefix of the cid of a control message, which the sending device stores nothing for (a session repair, a sender key). */
export const CONTROL_CID_PREFIX = 'ctl-';

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

/** A message to a group. The server replies with `group.ack` once the group log stores it. */
export const clientGroupSendSchema = z.object({
  type: z.literal('group.send'),
  cid: z.string().check(z.minLength(CID_MIN_LENGTH), z.maxLength(CID_MAX_LENGTH)),
  groupId: id,
  content: groupMessageContentSchema,
});

/** Asks for group log entries with groupSeq > `after` that the caller may see, at most `limit` (cap GROUP_SYNC_PAGE_MAX). */
export const clientGroupSyncSchema = z.object({
  type: z.literal('group.sync'),
  groupId: id,
  after: seq,
  limit: z.optional(z.number().check(z.int(), z.positive(), z.maximum(GROUP_SYNC_PAGE_MAX))),
});

/**
 * Several `send` frames in one WebSocket message, 1 to SENDS_PER_FRAME_MAX of
 * them, handled as if they arrived one after another: each gets its own
 * `ack` or `error`, in order, usually together in one `batch` frame.
 */
export const clientSendsSchema = z.object({
  type: z.literal('sends'),
  sends: z.array(clientSendSchema).check(z.minLength(1), z.maxLength(SENDS_PER_FRAME_MAX)),
});

export const clientFrameSchema = z.discriminatedUnion('type', [
  clientSendSchema,
  clientSendsSchema,
  clientSyncSchema,
  clientReadSchema,
  clientGroupSendSchema,
  clientGroupSyncSchema,
]);
export type ClientSendFrame = z.infer<typeof clientSendSchema>;
export type ClientSendsFrame = z.infer<typeof clientSendsSchema>;
export type ClientSyncFrame = z.infer<typeof clientSyncSchema>;
export type ClientReadFrame = z.infer<typeof clientReadSchema>;
export type ClientGroupSendFrame = z.infer<typeof clientGroupSendSchema>;
export type ClientGroupSyncFrame = z.infer<typeof clientGroupSyncSchema>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export const CLIENT_FRAME_TYPES = ['send', 'sends', 'sync', 'read', 'group.send', 'group.sync'] as const;

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

/** Sent after a `group.send` was stored in the group log; repeated unchanged for a resend with the same cid. */
export const serverGroupAckSchema = z.object({
  type: z.literal('group.ack'),
  cid: z.string(),
  groupId: id,
  messageId: id,
  groupSeq: seq,
  ts: z.number(),
});

/** The response to `group.sync`: log entries in group order. `hasMore` means request again after the last one. */
export const serverGroupPageSchema = z.object({
  type: z.literal('group.page'),
  groupId: id,
  entries: z.array(groupLogEntrySchema),
  hasMore: z.boolean(),
  headSeq: seq,
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

/** The active devices of one user, as a `devices_changed` error lists them. */
export const userDevicesSchema = z.object({
  userId: id,
  deviceIds: z.array(deviceIdSchema),
});
export type UserDevices = z.infer<typeof userDevicesSchema>;

/**
 * A failed frame. `cid` names the failed `send`; `limit` names a broken limit.
 * `devices` comes with `devices_changed`: the current devices of the
 * recipient and of the sender, for the client to encrypt again under the same cid.
 */
export const serverErrorSchema = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  cid: z.optional(z.string()),
  /** The group whose `group.sync` was refused (`not_a_member`, `not_found`). */
  groupId: z.optional(id),
  limit: z.optional(z.number()),
  value: z.optional(z.number()),
  devices: z.optional(z.array(userDevicesSchema)),
});

/** The session of this socket was revoked; the server closes it with CLOSE_SESSION_REVOKED next. */
export const serverKickedSchema = z.object({
  type: z.literal('kicked'),
  reason: z.enum(['signed_in_elsewhere', 'signed_out']),
});

/**
 * The device of this socket's session has fewer than
 * ONE_TIME_PREKEYS_LOW_THRESHOLD one-time prekeys left after a claim; the
 * client uploads a batch.
 */
export const serverPrekeysLowSchema = z.object({
  type: z.literal('prekeys.low'),
  remaining: z.number().check(z.int(), z.nonnegative()),
});

/**
 * Several acks, errors and live events for one socket, in the order the
 * server produced them. The client handles them as if they had come one by
 * one. The JSON of the frames inside adds up to at most BATCH_FRAME_MAX_BYTES.
 */
export const serverBatchSchema = z.object({
  type: z.literal('batch'),
  frames: z.array(z.discriminatedUnion('type', [serverAckSchema, serverErrorSchema, serverEventSchema])).check(z.minLength(1)),
});

export const serverFrameSchema = z.discriminatedUnion('type', [
  serverBatchSchema,
  serverWelcomeSchema,
  serverAckSchema,
  serverEventSchema,
  serverSyncPageSchema,
  serverErrorSchema,
  serverKickedSchema,
  serverPrekeysLowSchema,
  serverGroupAckSchema,
  serverGroupPageSchema,
  z.object({ type: z.literal('pong') }),
]);
export type ServerWelcomeFrame = z.infer<typeof serverWelcomeSchema>;
export type ServerAckFrame = z.infer<typeof serverAckSchema>;
export type ServerBatchFrame = z.infer<typeof serverBatchSchema>;
/** A frame that may travel inside a `batch`. */
export type ServerBatchedFrame = ServerBatchFrame['frames'][number];
export type ServerEventFrame = z.infer<typeof serverEventSchema>;
export type ServerSyncPageFrame = z.infer<typeof serverSyncPageSchema>;
export type ServerErrorFrame = z.infer<typeof serverErrorSchema>;
export type ServerKickedFrame = z.infer<typeof serverKickedSchema>;
export type ServerPrekeysLowFrame = z.infer<typeof serverPrekeysLowSchema>;
export type ServerGroupAckFrame = z.infer<typeof serverGroupAckSchema>;
export type ServerGroupPageFrame = z.infer<typeof serverGroupPageSchema>;
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/** The id of the 1:1 conversation between two users: the same on both sides. */
export function directConversationId(userA: string, userB: string): string {
  return userA < userB ? `d:${userA}:${userB}` : `d:${userB}:${userA}`;
}

// ---------------------------------------------------------------------------
// The group socket: `GET /api/v1/groups/:groupId/socket`, held by the group's
// own object, which pushes every new log entry to each open member socket.

/**
 * Close code of a group socket whose user is not, or no longer, a member:
 * rejected at the upgrade, left, kicked, or the group was dissolved. The
 * client stops reconnecting.
 */
export const CLOSE_GROUP_MEMBERSHIP_ENDED = 4004;

/** First frame on a group socket. `headSeq` is the newest groupSeq of the group log. */
export const serverGroupWelcomeSchema = z.object({
  type: z.literal('group.welcome'),
  groupId: id,
  headSeq: seq,
});

/**
 * One new entry of the group log (a message or a public change), pushed once
 * to every open member socket after it is stored, in group order. The
 * sender's own sockets get their messages too; the client drops repeats by cid.
 */
export const serverGroupEntrySchema = z.object({
  type: z.literal('group.entry'),
  groupId: id,
  entry: groupLogEntrySchema,
});

/** Frames the server sends on a group socket. */
export const groupSocketServerFrameSchema = z.discriminatedUnion('type', [
  serverGroupWelcomeSchema,
  serverGroupEntrySchema,
  serverGroupPageSchema,
  serverErrorSchema,
  z.object({ type: z.literal('pong') }),
]);
export type ServerGroupWelcomeFrame = z.infer<typeof serverGroupWelcomeSchema>;
export type ServerGroupEntryFrame = z.infer<typeof serverGroupEntrySchema>;
export type GroupSocketServerFrame = z.infer<typeof groupSocketServerFrameSchema>;
