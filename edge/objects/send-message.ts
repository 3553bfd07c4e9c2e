// The synchronous part of a `send` frame: check the envelope and decide what
// to store. send-batch.ts delivers to the recipient's object, writes the new
// message to the sender's inbox and sends the ack. An envelope is stored only
// when it addresses exactly the current devices (envelope-check.ts). The
// batcher handles one batch of a user's sends at a time, so the find-then-store
// of a cid never races a resend of the same cid.

import {
  CONTROL_CID_PREFIX,
  directConversationId,
  type ChatMessage,
  type ClientSendFrame,
  type ServerAckFrame,
  type ServerErrorFrame,
} from '../../protocol/frames';
import { checkAddressing, checkEnvelopeSize, type SendRejection } from './envelope-check';
import type { MessageEvent } from './inbox-events';
import type { PeerFacts } from './peer-cache';

/**
 * `deliver`: store in both inboxes. `ack_only`: the recipient muted the
 * sender or the conversation, so only the sender's inbox stores it and the
 * ack looks the same. `not_allowed`: a block either way or the recipient's
 * privacy setting rejects it, and nothing is stored.
 */
export type RecipientCheck = 'deliver' | 'ack_only' | 'not_allowed' | 'not_found';

export interface SendContext {
  /** The sending user, whose object runs this. */
  userId: string;
  /** The session of the socket the frame came from; its device must be the envelope's sender. */
  sessionId: string;
  /** The message this user stored with the frame's cid, if any, read once per send; see `peerOfSend`. */
  existing: MessageEvent | undefined;
  /** The id of a new message with the frame's cid, from `messageIdFor`. */
  messageId: string;
  /** The cached facts about each peer this send may name; see `peerOfSend`. */
  facts(peerId: string): PeerFacts;
  /** Whether this user and `peerId` are both members of the group, for frames with a `groupId`. */
  groupPeer(groupId: string, peerId: string): boolean;
}

/**
 * `reply`: send this frame to the socket; nothing is stored.
 * `new`: a message to write to the sender's inbox.
 * `stored`: a resend of a message already in the sender's inbox.
 * `deliver` is whether the recipient's object must store the message too
 * before the ack.
 */
export type PreparedSend =
  | { kind: 'reply'; reply: ServerErrorFrame }
  | { kind: 'new'; message: ChatMessage; deliver: boolean }
  | { kind: 'stored'; event: MessageEvent; deliver: boolean };

/** Returns the user whose facts `prepareSend` needs: the recipient of the stored message on a resend, else the frame's. */
export function peerOfSend(existing: MessageEvent | undefined, frame: ClientSendFrame): string {
  return existing?.message.to ?? frame.to;
}

export function prepareSend(ctx: SendContext, frame: ClientSendFrame, now: number): PreparedSend {
  const content = frame.content;
  if (content.type === 'text') {
    return rejected(frame.cid, {
      code: 'encryption_required',
      message: 'Messages must be end-to-end encrypted: send content of type "e2e", not "text".',
    });
  }
  const tooLarge = checkEnvelopeSize(content.envelope);
  if (tooLarge) return rejected(frame.cid, tooLarge);

  if (frame.groupId !== undefined && !frame.cid.startsWith(CONTROL_CID_PREFIX)) {
    return rejected(frame.cid, {
      code: 'invalid_request',
      message: `A send with a groupId carries a sender key; its cid must start with "${CONTROL_CID_PREFIX}".`,
    });
  }

  if (ctx.existing) return resend(ctx, ctx.existing, frame);

  const toSelf = frame.to === ctx.userId;
  const { check, devices } = peerFacts(ctx, frame, frame.to);
  if (check === 'not_found' || check === 'not_allowed') return { kind: 'reply', reply: recipientRejected(check, frame.cid, frame.to) };

  const misaddressed = checkAddressing({
    envelope: content.envelope,
    senderId: ctx.userId,
    recipientId: frame.to,
    sessionId: ctx.sessionId,
    devices,
  });
  if (misaddressed) return rejected(frame.cid, misaddressed);

  const message: ChatMessage = {
    id: ctx.messageId,
    conversationId: directConversationId(ctx.userId, frame.to),
    from: ctx.userId,
    to: frame.to,
    cid: frame.cid,
    content: frame.content,
    ts: now,
  };
  return { kind: 'new', message, deliver: !toSelf && check === 'deliver' };
}

/**
 * Handles a resend of a stored cid: delivers again in case the first attempt
 * failed, then repeats the ack. The recipient is checked again, so a block or
 * mute set since the first attempt holds.
 */
function resend(ctx: SendContext, existing: MessageEvent, frame: ClientSendFrame): PreparedSend {
  const message = existing.message;
  if (message.to === ctx.userId) return { kind: 'stored', event: existing, deliver: false };

  const { check } = peerFacts(ctx, frame, message.to);
  if (check === 'not_found' || check === 'not_allowed') return { kind: 'reply', reply: recipientRejected(check, message.cid, message.to) };
  return { kind: 'stored', event: existing, deliver: check === 'deliver' };
}

/**
 * Returns the facts of a peer. A sender-key distribution (a frame with
 * `groupId`) between two members of that group is delivered despite privacy
 * settings, blocks and mutes, because members must read each other's group messages.
 */
function peerFacts(ctx: SendContext, frame: ClientSendFrame, peerId: string): PeerFacts {
  const facts = ctx.facts(peerId);
  if (frame.groupId === undefined || peerId === ctx.userId) return facts;
  return { ...facts, check: ctx.groupPeer(frame.groupId, peerId) ? 'deliver' : 'not_allowed' };
}

/** The same `not_allowed` text for a block and for privacy, so a blocked sender cannot tell them apart. */
function recipientRejected(check: 'not_found' | 'not_allowed', cid: string, to: string): ServerErrorFrame {
  if (check === 'not_found') return errorFrame('recipient_not_found', cid, `No user has the id ${JSON.stringify(to)}.`);
  return errorFrame('not_allowed', cid, 'The recipient does not accept messages from you.');
}

export function ackFor(event: MessageEvent): ServerAckFrame {
  const message = event.message;
  return {
    type: 'ack',
    cid: message.cid,
    messageId: message.id,
    conversationId: message.conversationId,
    seq: event.seq,
    ts: message.ts,
  };
}

function rejected(cid: string, rejection: SendRejection): PreparedSend {
  return { kind: 'reply', reply: { type: 'error', cid, ...rejection } };
}

export function deliveryFailed(cid: string): ServerErrorFrame {
  return errorFrame('internal', cid, 'The message is stored but not yet delivered; resend it with the same cid.');
}

function errorFrame(
  code: ServerErrorFrame['code'],
  cid: string,
  message: string,
  limits: { limit?: number; value?: number } = {},
): ServerErrorFrame {
  return { type: 'error', code, message, cid, ...limits };
}
