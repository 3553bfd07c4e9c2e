// Writes server inbox events and acks into the local database. Each call runs
// in one transaction together with the new lastSeq, so a crash or a failed
// write leaves the database as it was: no event is skipped or applied twice.

import type { IDBPIndex, IDBPTransaction, StoreNames } from 'idb';
import type { InboxEvent, ServerAckFrame } from '../../../protocol/frames';
import type { FeigeDb, FeigeSchema } from './db';
import { newConversation, sentMessageRecord, updatePreview } from './records';

const INBOX_STORES = ['messages', 'conversations', 'meta', 'outbox'] as const;
type InboxStoreName = (typeof INBOX_STORES)[number];
type InboxTx = IDBPTransaction<FeigeSchema, InboxStoreName[], 'readwrite'>;

type MessageEvent = Extract<InboxEvent, { kind: 'message' }>;
type ReadEvent = Extract<InboxEvent, { kind: 'read' }>;

export type SeqIndex = IDBPIndex<FeigeSchema, StoreNames<FeigeSchema>[], 'messages', 'by-conversation-seq', 'readwrite'>;

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

/**
 * Applies events in the given order, skipping those with seq <= lastSeq, and
 * stores the seq of the last applied one as lastSeq. Live events and sync
 * pages both come through here.
 */
export async function applyInboxEvents(db: FeigeDb, me: string, events: readonly InboxEvent[]): Promise<ApplyResult> {
  const tx: InboxTx = db.transaction([...INBOX_STORES], 'readwrite');

  return runAtomically(tx, async () => {
    const meta = tx.objectStore('meta');
    let lastSeq = (await meta.get('lastSeq')) ?? 0;
    let applied = 0;
    const conversationIds = new Set<string>();

    for (const event of events) {
      if (event.seq <= lastSeq) continue;

      const conversationId = await applyEvent(tx, me, event);
      if (conversationId !== null) conversationIds.add(conversationId);
      lastSeq = event.seq;
      applied++;
    }

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

    const haveMessage = pending !== undefined || stored !== undefined;
    if (haveMessage && ack.seq === lastSeq + 1) {
      lastSeq = ack.seq;
      await meta.put(lastSeq, 'lastSeq');
    }

    return { lastSeq, gap: ack.seq > lastSeq, conversationId: ack.conversationId };
  });
}

/** Counts the peer's messages after `readSeq`: the unread badge of a conversation. */
export async function countUnreadAfter(index: SeqIndex, me: string, conversationId: string, readSeq: number): Promise<number> {
  const range = IDBKeyRange.bound([conversationId, readSeq], [conversationId, Infinity], true, false);
  let unread = 0;
  for (let cursor = await index.openCursor(range); cursor; cursor = await cursor.continue()) {
    if (cursor.value.from !== me) unread++;
  }
  return unread;
}

/** Applies one event and returns the conversation it changed, or null for events outside conversations. */
async function applyEvent(tx: InboxTx, me: string, event: InboxEvent): Promise<string | null> {
  switch (event.kind) {
    case 'message':
      await applyMessageEvent(tx, me, event);
      return event.message.conversationId;
    case 'read':
      await applyReadEvent(tx, me, event);
      return event.conversationId;
    case 'follow':
    case 'friend':
    case 'settings':
      // TODO: store follow, friend and settings events once the PWA has screens for them; now only their seq counts.
      return null;
    default: {
      const unreachable: never = event;
      throw new Error(`unknown inbox event kind ${JSON.stringify(unreachable)}`);
    }
  }
}

async function applyMessageEvent(tx: InboxTx, me: string, event: MessageEvent): Promise<void> {
  const { message } = event;
  const mine = message.from === me;
  const messages = tx.objectStore('messages');

  if (mine) {
    await messages.delete(message.cid);
    await deleteFromOutbox(tx, message.cid);
  }

  const alreadyStored = (await messages.get(message.id)) !== undefined;
  await messages.put(sentMessageRecord(message, event.seq));

  const peerId = mine ? message.to : message.from;
  const conversation = await touchConversation(tx, message.conversationId, peerId, message);
  if (alreadyStored || mine || event.seq <= conversation.lastReadSeq) return;

  conversation.unread += 1;
  await tx.objectStore('conversations').put(conversation);
}

async function applyReadEvent(tx: InboxTx, me: string, event: ReadEvent): Promise<void> {
  const conversations = tx.objectStore('conversations');
  const conversation = await conversations.get(event.conversationId);
  if (!conversation) return;

  conversation.sentReadSeq = Math.max(conversation.sentReadSeq, event.readSeq);
  if (event.readSeq > conversation.lastReadSeq) {
    conversation.lastReadSeq = event.readSeq;
    const index = tx.objectStore('messages').index('by-conversation-seq');
    conversation.unread = await countUnreadAfter(index, me, conversation.id, event.readSeq);
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

/**
 * Runs `work` inside `tx` and aborts the transaction if it throws, so that
 * writes done before the failure are rolled back instead of committed.
 */
export async function runAtomically<T, Names extends StoreNames<FeigeSchema>[]>(
  tx: IDBPTransaction<FeigeSchema, Names, 'readwrite'>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    const result = await work();
    await tx.done;
    return result;
  } catch (error) {
    tx.done.catch(() => undefined);
    abortQuietly(tx);
    throw error;
  }
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // The transaction already finished or aborted itself; nothing is left to roll back.
  }
}
