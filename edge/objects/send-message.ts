// The `send` frame: store in the sender's inbox, deliver to the recipient's
// object, then acknowledge. Callers run it for one sending user at a time, so
// the find-then-store of a cid never races a resend of the same cid.

import {
  directConversationId,
  type ChatMessage,
  type ClientSendFrame,
  type ServerAckFrame,
  type ServerErrorFrame,
} from '../../protocol/frames';
import { TEXT_MAX_BYTES, countUtf8Bytes } from '../../protocol/limits';
import { newId } from '../auth/tokens';
import type { Logger } from '../log';
import type { InboxStore } from './inbox-store';
import type { MessageEvent } from './inbox-events';

export interface SendDependencies {
  /** The sending user, whose object runs this. */
  userId: string;
  inbox: InboxStore;
  log: Logger;
  recipientExists(userId: string): Promise<boolean>;
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
  const textBytes = countUtf8Bytes(frame.content.text);
  if (textBytes > TEXT_MAX_BYTES) {
    return {
      reply: errorFrame(
        'text_too_long',
        frame.cid,
        `Text has ${textBytes} bytes in UTF-8; the maximum is ${TEXT_MAX_BYTES}.`,
        { limit: TEXT_MAX_BYTES, value: textBytes },
      ),
    };
  }

  const existing = deps.inbox.findMessage(deps.userId, frame.cid);
  if (existing) {
    return resend(deps, existing);
  }

  const toSelf = frame.to === deps.userId;
  if (!toSelf && !(await deps.recipientExists(frame.to))) {
    return {
      reply: errorFrame('recipient_not_found', frame.cid, `No user has the id ${JSON.stringify(frame.to)}.`),
    };
  }

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

  if (!toSelf) {
    const delivered = await tryDeliver(deps, message);
    if (!delivered) return { reply: deliveryFailed(frame.cid), stored };
  }
  return { reply: ackFor(stored), stored };
}

/** Handles a resend of a stored cid: completes delivery in case the first attempt failed, then repeats the ack. */
async function resend(deps: SendDependencies, existing: MessageEvent): Promise<SendOutcome> {
  const message = existing.message;
  if (message.to !== deps.userId) {
    const delivered = await tryDeliver(deps, message);
    if (!delivered) return { reply: deliveryFailed(message.cid) };
  }
  return { reply: ackFor(existing) };
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
