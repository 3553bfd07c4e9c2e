// The `send` frame: check the envelope, store in the sender's inbox, deliver
// to the recipient's object, then acknowledge. An envelope is stored only
// when it addresses exactly the current devices (envelope-check.ts). Callers
// run this for one sending user at a time, so the find-then-store of a cid
// never races a resend of the same cid.

import {
  directConversationId,
  type ChatMessage,
  type ClientSendFrame,
  type ServerAckFrame,
  type ServerErrorFrame,
} from '../../protocol/frames';
import { newId } from '../auth/tokens';
import type { Logger } from '../log';
import { checkAddressing, checkEnvelopeSize, type ActiveDevice, type SendRejection } from './envelope-check';
import type { InboxStore } from './inbox-store';
import type { MessageEvent } from './inbox-events';

/**
 * `deliver`: store in both inboxes. `ack_only`: the recipient muted the
 * sender or the conversation, so only the sender's inbox stores it and the
 * ack looks the same. `not_allowed`: a block either way or the recipient's
 * privacy setting rejects it, and nothing is stored.
 */
export type RecipientCheck = 'deliver' | 'ack_only' | 'not_allowed' | 'not_found';

export interface SendDependencies {
  /** The sending user, whose object runs this. */
  userId: string;
  /** The session of the socket the frame came from; its device must be the envelope's sender. */
  sessionId: string;
  inbox: InboxStore;
  log: Logger;
  /** Reads from D1 whether the recipient exists and whether blocks, privacy and mutes let a message through. */
  checkRecipient(userId: string): Promise<RecipientCheck>;
  /** Active devices of these users, read from the key directory. */
  activeDevices(userIds: string[]): Promise<ActiveDevice[]>;
  /** Stores the message in the recipient's inbox; idempotent per (from, cid). */
  deliver(message: ChatMessage): Promise<void>;
}

export interface SendOutcome {
  /** The frame for the sending socket. */
  reply: ServerAckFrame | ServerErrorFrame;
  /** The event this send added to the sender's inbox, for the sender's other sockets; absent on a resend. */
  stored?: MessageEvent;
}

export async function sendMessage(deps: SendDependencies, frame: ClientSendFrame): Promise<SendOutcome> {
  const content = frame.content;
  if (content.type === 'text') {
    return rejected(frame.cid, {
      code: 'encryption_required',
      message: 'Messages must be end-to-end encrypted: send content of type "e2e", not "text".',
    });
  }
  const tooLarge = checkEnvelopeSize(content.envelope);
  if (tooLarge) return rejected(frame.cid, tooLarge);

  const existing = deps.inbox.findMessage(deps.userId, frame.cid);
  if (existing) {
    return resend(deps, existing);
  }

  // The relation check and the device list are independent D1 reads, so they
  // run together: each local D1 query costs milliseconds on the send path.
  const toSelf = frame.to === deps.userId;
  const [check, devices] = await Promise.all([
    toSelf ? Promise.resolve('deliver' as const) : deps.checkRecipient(frame.to),
    deps.activeDevices(toSelf ? [deps.userId] : [frame.to, deps.userId]),
  ]);
  if (check === 'not_found' || check === 'not_allowed') return { reply: recipientRejected(check, frame.cid, frame.to) };

  const misaddressed = checkAddressing({
    envelope: content.envelope,
    senderId: deps.userId,
    recipientId: frame.to,
    sessionId: deps.sessionId,
    devices,
  });
  if (misaddressed) return rejected(frame.cid, misaddressed);

  // Durable Object output gates hold every outgoing message (socket frames and
  // RPC calls alike) until the storage writes before it are confirmed, so the
  // ack below leaves only after this row is durable.
  const ts = Date.now();
  const message: ChatMessage = {
    id: newId(),
    conversationId: directConversationId(deps.userId, frame.to),
    from: deps.userId,
    to: frame.to,
    cid: frame.cid,
    content: frame.content,
    ts,
  };
  const stored = deps.inbox.appendMessage(message, ts);

  if (!toSelf && check === 'deliver') {
    const delivered = await tryDeliver(deps, message);
    if (!delivered) return { reply: deliveryFailed(frame.cid), stored };
  }
  return { reply: ackFor(stored), stored };
}

/**
 * Handles a resend of a stored cid: completes delivery in case the first
 * attempt failed, then repeats the ack. The recipient is checked again, so a
 * block or mute set since the first attempt holds.
 */
async function resend(deps: SendDependencies, existing: MessageEvent): Promise<SendOutcome> {
  const message = existing.message;
  if (message.to !== deps.userId) {
    const check = await deps.checkRecipient(message.to);
    if (check === 'not_found' || check === 'not_allowed') return { reply: recipientRejected(check, message.cid, message.to) };
    if (check === 'deliver') {
      const delivered = await tryDeliver(deps, message);
      if (!delivered) return { reply: deliveryFailed(message.cid) };
    }
  }
  return { reply: ackFor(existing) };
}

/** The same `not_allowed` text for a block and for privacy, so a blocked sender cannot tell them apart. */
function recipientRejected(check: 'not_found' | 'not_allowed', cid: string, to: string): ServerErrorFrame {
  if (check === 'not_found') return errorFrame('recipient_not_found', cid, `No user has the id ${JSON.stringify(to)}.`);
  return errorFrame('not_allowed', cid, 'The recipient does not accept messages from you.');
}

async function tryDeliver(deps: SendDependencies, message: ChatMessage): Promise<boolean> {
  try {
    await deps.deliver(message);
    return true;
  } catch (error) {
    deps.log.error('delivery to recipient failed; the client retries with the same cid', {
      messageId: message.id,
      to: message.to,
      cid: message.cid,
      error,
    });
    return false;
  }
}

function ackFor(event: MessageEvent): ServerAckFrame {
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

function rejected(cid: string, rejection: SendRejection): SendOutcome {
  return { reply: { type: 'error', cid, ...rejection } };
}

function deliveryFailed(cid: string): ServerErrorFrame {
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
