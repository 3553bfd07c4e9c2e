// Builders for stored records, shared by the event, ack and outbox writers so
// that every path shapes conversations and previews the same way.

import type { ChatMessage } from '../../../protocol/frames';
import { CONTROL_CID_PREFIX, directConversationId } from '../../../protocol/frames';
import type { LocalContent, MessageStatus, StoredConversation, StoredMessage } from './db';

/** Code points of message text kept as the conversation-list preview. */
export const PREVIEW_MAX_CHARS = 120;

/**
 * Receiving devices learn that a message is control (a session repair's
 * `session_reset`, a sender key) from its decrypted payload, but the sending
 * device has no entry of its own in the envelope and recognizes the message
 * by its cid prefix when it comes back in a sync.
 */
export { CONTROL_CID_PREFIX };

export function isControlCid(cid: string): boolean {
  return cid.startsWith(CONTROL_CID_PREFIX);
}

export function newConversation(id: string, peerId: string): StoredConversation {
  return { id, peerId, lastMessage: null, lastActivity: 0, unread: 0, lastReadSeq: 0, sentReadSeq: 0 };
}

/** The record of a message the server stored, with `content` as this device shows it. */
export function sentMessageRecord(message: ChatMessage, seq: number, content: LocalContent): StoredMessage {
  return {
    key: message.id,
    id: message.id,
    cid: message.cid,
    conversationId: message.conversationId,
    from: message.from,
    to: message.to,
    content,
    ts: message.ts,
    seq,
    status: 'sent',
  };
}

/** Returns the start of a text message, or null for content this client cannot show as text. */
export function previewText(content: LocalContent): string | null {
  switch (content.type) {
    case 'text':
      return Array.from(content.text).slice(0, PREVIEW_MAX_CHARS).join('');
    case 'unavailable':
    case 'key_change':
    case 'system':
      return null;
    default: {
      const unreachable: never = content;
      throw new Error(`no preview for content ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Makes `message` the conversation's preview when it is the newest one, or
 * when it is the previewed message in a new state. A pending message that got
 * its ack so keeps its place even if the server clock is behind the local one.
 */
export function updatePreview(
  conversation: StoredConversation,
  message: Pick<StoredMessage, 'cid' | 'from' | 'content' | 'ts'>,
  status: MessageStatus,
): void {
  const previous = conversation.lastMessage;
  const sameMessage = previous !== null && previous.cid === message.cid && previous.from === message.from;
  if (!sameMessage && message.ts < conversation.lastActivity) return;

  conversation.lastMessage = {
    cid: message.cid,
    from: message.from,
    text: previewText(message.content),
    status,
  };
  if (message.content.type === 'system') conversation.lastMessage.change = message.content.change;
  conversation.lastActivity = Math.max(conversation.lastActivity, message.ts);
}

/** Returns the other user of a direct conversation id, or the own id for a note-to-self conversation. */
export function peerOfConversation(conversationId: string, me: string): string | null {
  const candidates: string[] = [];
  const ownFirst = `d:${me}:`;
  const ownLast = `:${me}`;
  if (conversationId.startsWith(ownFirst)) candidates.push(conversationId.slice(ownFirst.length));
  if (conversationId.startsWith('d:') && conversationId.endsWith(ownLast)) {
    candidates.push(conversationId.slice(2, -ownLast.length));
  }

  return candidates.find((peer) => peer !== '' && directConversationId(me, peer) === conversationId) ?? null;
}
