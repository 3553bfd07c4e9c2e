// Writes server inbox events and acks into the local database. Each call runs
// in one transaction together with the new lastSeq, so a crash or a failed
// write leaves the database as it was: no event is skipped or applied twice.
// Encrypted messages arrive here already decrypted (web/app/e2e/open-events.ts),
// so only plaintext is stored.

import type { ChatMessage, InboxEvent, ServerAckFrame } from '../../../protocol/frames';
import type { FeigeDb, ReceivedContent } from './db';
import { applyGroupChangeEvent, applyGroupMessageEvent } from './group-events';
import { ReceivedMessageWrites } from './message-blocks';
import { ConversationWrites, RequestQueue, storedMessageKeys } from './page-writes';
import { isControlCid, newConversation, sentMessageRecord, updatePreview } from './records';
import { countUnreadAfter, timelineOf } from './timeline';
import { INBOX_STORES, runAtomically, type InboxTx } from './transactions';

export { runAtomically } from './transactions';

type MessageEvent = Extract<InboxEvent, { kind: 'message' }>;
type ReadEvent = Extract<InboxEvent, { kind: 'read' }>;

export interface ApplyResult {
  /** lastSeq after the call, read and written inside the transaction. */
  lastSeq: number;
  /** Events with seq > the previous lastSeq; the others were already stored and were skipped. */
  applied: number;
  conversationIds: string[];
}

export interface AckResult {
  lastSeq: number;
  /** The event at the ack's seq, or events before it, are not stored yet: the caller must sync. */
  gap: boolean;
  conversationId: string;
}

/** Decrypted content of message events, by message id. */
export type OpenedContents = ReadonlyMap<string, ReceivedContent>;

/** State that the message events of one transaction share. */
interface PageWrites {
  opened: OpenedContents;
  conversations: ConversationWrites;
  /** Keys of the transaction's message events that were stored before it started, or earlier in it. */
  storedKeys: Set<string>;
  received: ReceivedMessageWrites;
  requests: RequestQueue;
}

/**
 * Applies events in the given order, skipping those with seq <= lastSeq, and
 * stores the seq of the last applied one as lastSeq. Live events and sync
 * pages both come through here. `opened` contains what decrypting the
 * messages gave, and a message without an entry is resolved by resolveContent.
 */
export async function applyInboxEvents(
  db: FeigeDb,
  me: string,
  events: readonly InboxEvent[],
  opened: OpenedContents = new Map(),
): Promise<ApplyResult> {
  const tx: InboxTx = db.transaction([...INBOX_STORES], 'readwrite');

  return runAtomically(tx, async () => {
    const meta = tx.objectStore('meta');
    let lastSeq = (await meta.get('lastSeq')) ?? 0;
    let applied = 0;
    const conversationIds = new Set<string>();

    const requests = new RequestQueue();
    const page: PageWrites = {
      opened,
      conversations: new ConversationWrites(tx),
      storedKeys: await storedMessageKeys(tx, events.filter((event) => event.seq > lastSeq)),
      received: new ReceivedMessageWrites(tx, requests),
      requests,
    };

    for (const event of events) {
      if (event.seq <= lastSeq) continue;

      // Other events read and write conversations and messages themselves, so they see the message events' changes first.
      if (event.kind !== 'message') {
        page.received.flush();
        await page.conversations.flush();
      }
      const conversationId = await applyEvent(tx, me, event, page);
      if (conversationId !== null) conversationIds.add(conversationId);
      lastSeq = event.seq;
      applied++;
    }

    page.received.flush();
    await page.conversations.flush();
    await page.requests.settle();
    if (applied > 0) await meta.put(lastSeq, 'lastSeq');
    return { lastSeq, applied, conversationIds: [...conversationIds] };
  });
}

/**
 * Replaces the pending copy of an acked message with the stored one and
 * removes it from the outbox. The sending socket gets no `event` for its own
 * message, so the ack takes the place of the inbox event at `ack.seq`. When
 * that seq is the next one, lastSeq advances here.
 */
export async function applyAck(db: FeigeDb, ack: ServerAckFrame): Promise<AckResult> {
  const tx: InboxTx = db.transaction([...INBOX_STORES], 'readwrite');

  return runAtomically(tx, async () => {
    const meta = tx.objectStore('meta');
    const messages = tx.objectStore('messages');
    let lastSeq = (await meta.get('lastSeq')) ?? 0;

    await deleteFromOutbox(tx, ack.cid);
    const pending = await messages.get(ack.cid);
    const stored = await messages.get(ack.messageId);

    if (pending && !stored) {
      await messages.delete(ack.cid);
      const sent = { ...pending, key: ack.messageId, id: ack.messageId, ts: ack.ts, seq: ack.seq };
      delete sent.failure;
      await messages.put({ ...sent, status: 'sent' });
      await touchConversation(tx, ack.conversationId, pending.to, sent);
    }

    // A control message has no local record, and its event would change nothing.
    const haveMessage = pending !== undefined || stored !== undefined || isControlCid(ack.cid);
    if (haveMessage && ack.seq === lastSeq + 1) {
      lastSeq = ack.seq;
      await meta.put(lastSeq, 'lastSeq');
    }

    return { lastSeq, gap: ack.seq > lastSeq, conversationId: ack.conversationId };
  });
}

/** Applies one event and returns the conversation it changed, or null for events outside conversations. */
async function applyEvent(tx: InboxTx, me: string, event: InboxEvent, page: PageWrites): Promise<string | null> {
  switch (event.kind) {
    case 'message':
      return applyMessageEvent(tx, me, event, page);
    case 'read':
      await applyReadEvent(tx, me, event);
      return event.conversationId;
    case 'group.message':
      return applyGroupMessageEvent(tx, me, event, page.opened);
    case 'group':
      return applyGroupChangeEvent(tx, me, event);
    case 'follow':
    case 'friend':
    case 'settings':
      // Nothing local to store: state/relations.ts reloads settings and relation lists from the server when these arrive.
      return null;
    default: {
      const unreachable: never = event;
      throw new Error(`unknown inbox event kind ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Stores a message event and returns its conversation, or null for a control message, which stores nothing. */
async function applyMessageEvent(tx: InboxTx, me: string, event: MessageEvent, page: PageWrites): Promise<string | null> {
  const { message } = event;
  const mine = message.from === me;
  const messages = tx.objectStore('messages');
  const content = page.opened.get(message.id) ?? (await resolveContent(tx, me, message));

  if (mine) await deleteFromOutbox(tx, message.cid);
  if (content.type === 'control') return null;
  if (mine) await messages.delete(message.cid);

  const alreadyStored = page.storedKeys.has(message.id);
  const record = sentMessageRecord(message, event.seq, content);
  // Own messages stay records: a later ack or event of this device rewrites them.
  if (mine || alreadyStored) page.requests.add(messages.put(record));
  else page.received.add(record);
  page.storedKeys.add(message.id);

  const peerId = mine ? message.to : message.from;
  const conversation = await page.conversations.get(message.conversationId, peerId);
  updatePreview(conversation, record, 'sent');
  if (!alreadyStored && !mine && event.seq > conversation.lastReadSeq) conversation.unread += 1;
  return message.conversationId;
}

/**
 * Returns the content of a message that was not decrypted on its way here.
 * That is text stored before end-to-end encryption, or a message this device
 * sent itself: its envelope has no entry for the sending device, and the
 * local record keeps the plaintext.
 */
async function resolveContent(tx: InboxTx, me: string, message: ChatMessage): Promise<ReceivedContent> {
  const content = message.content;
  switch (content.type) {
    case 'text':
      return { type: 'text', text: content.text };
    case 'e2e': {
      if (message.from !== me) return { type: 'unavailable', reason: 'undecryptable' };

      const messages = tx.objectStore('messages');
      const local = (await messages.get(message.cid)) ?? (await messages.get(message.id));
      if (local?.content.type === 'text') return local.content;
      if (isControlCid(message.cid)) return { type: 'control' };
      return { type: 'unavailable', reason: 'not_for_this_device' };
    }
    default: {
      const unreachable: never = content;
      throw new Error(`unknown message content ${JSON.stringify(unreachable)}`);
    }
  }
}

async function applyReadEvent(tx: InboxTx, me: string, event: ReadEvent): Promise<void> {
  const conversations = tx.objectStore('conversations');
  const conversation = await conversations.get(event.conversationId);
  if (!conversation) return;

  conversation.sentReadSeq = Math.max(conversation.sentReadSeq, event.readSeq);
  if (event.readSeq > conversation.lastReadSeq) {
    conversation.lastReadSeq = event.readSeq;
    conversation.unread = await countUnreadAfter(timelineOf(tx), me, conversation.id, event.readSeq);
  }
  await conversations.put(conversation);
}

async function touchConversation(
  tx: InboxTx,
  conversationId: string,
  peerId: string,
  message: Parameters<typeof updatePreview>[1],
) {
  const conversations = tx.objectStore('conversations');
  const conversation = (await conversations.get(conversationId)) ?? newConversation(conversationId, peerId);
  updatePreview(conversation, message, 'sent');
  await conversations.put(conversation);
  return conversation;
}

async function deleteFromOutbox(tx: InboxTx, cid: string): Promise<void> {
  const outbox = tx.objectStore('outbox');
  const key = await outbox.index('by-cid').getKey(cid);
  if (key !== undefined) await outbox.delete(key);
}
