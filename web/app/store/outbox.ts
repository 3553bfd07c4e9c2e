// The outbox: messages written locally and not yet acked. Queueing writes the
// outbox entry, the pending message and the conversation preview in one
// transaction, so a reload shows the message as pending and resends it.

import type { Envelope } from '../../../protocol/envelope';
import { runAtomically } from './apply-events';
import type { FeigeDb, OutboxEntry, SendFailure, StoredConversation, StoredMessage } from './db';
import { newConversation, updatePreview } from './records';

export interface NewMessage {
  cid: string;
  from: string;
  to: string;
  conversationId: string;
  content: { type: 'text'; text: string };
  /** Local clock in ms; the server's time replaces it on ack. */
  createdAt: number;
}

export async function queueMessage(db: FeigeDb, message: NewMessage): Promise<StoredMessage> {
  const entry = {
    cid: message.cid,
    conversationId: message.conversationId,
    to: message.to,
    content: message.content,
    createdAt: message.createdAt,
  };
  return writeQueuedMessage(db, entry, message.from, () => newConversation(message.conversationId, message.to));
}

/**
 * Writes the outbox entry, its pending message and the conversation preview
 * in one transaction. `newRecord` makes the conversation when it is not
 * stored yet.
 */
export async function writeQueuedMessage(
  db: FeigeDb,
  entry: OutboxEntry & { content: { type: 'text'; text: string } },
  from: string,
  newRecord: () => StoredConversation,
): Promise<StoredMessage> {
  const tx = db.transaction(['outbox', 'messages', 'conversations'], 'readwrite');

  return runAtomically(tx, async () => {
    await tx.objectStore('outbox').add(entry);

    const pending: StoredMessage = {
      key: entry.cid,
      id: null,
      cid: entry.cid,
      conversationId: entry.conversationId,
      from,
      to: entry.to,
      content: entry.content,
      ts: entry.createdAt,
      status: 'pending',
    };
    await tx.objectStore('messages').put(pending);

    const conversations = tx.objectStore('conversations');
    const conversation = (await conversations.get(entry.conversationId)) ?? newRecord();
    updatePreview(conversation, pending, 'pending');
    await conversations.put(conversation);

    return pending;
  });
}

/** Pending entries in the order they were queued. */
export async function listOutbox(db: FeigeDb): Promise<OutboxEntry[]> {
  return db.getAll('outbox');
}

/** Takes a message the server rejected for good out of the outbox and marks it failed with the reason. */
export async function markSendFailed(db: FeigeDb, cid: string, failure: SendFailure): Promise<string | null> {
  const tx = db.transaction(['outbox', 'messages', 'conversations'], 'readwrite');

  return runAtomically(tx, async () => {
    const outbox = tx.objectStore('outbox');
    const key = await outbox.index('by-cid').getKey(cid);
    if (key !== undefined) await outbox.delete(key);

    const messages = tx.objectStore('messages');
    const message = await messages.get(cid);
    if (!message || message.status === 'sent') return null;

    await messages.put({ ...message, status: 'failed', failure });

    const conversations = tx.objectStore('conversations');
    const conversation = await conversations.get(message.conversationId);
    if (conversation) {
      updatePreview(conversation, message, 'failed');
      await conversations.put(conversation);
    }
    return message.conversationId;
  });
}

/**
 * Queues a control message: an outbox entry with no message record, so it
 * shows nowhere. Its cid must start with CONTROL_CID_PREFIX.
 */
export async function queueControlMessage(db: FeigeDb, entry: Omit<OutboxEntry, 'order' | 'envelope'>): Promise<void> {
  await db.add('outbox', entry);
}

/** Keeps the envelope made for an outbox entry, so that every resend carries the same one. */
export async function storeEnvelope(db: FeigeDb, cid: string, envelope: Envelope): Promise<void> {
  await updateEntry(db, cid, (entry) => ({ ...entry, envelope }));
}

/** Drops the envelope of an outbox entry, so the next send encrypts for the current devices. */
export async function clearEnvelope(db: FeigeDb, cid: string): Promise<void> {
  await updateEntry(db, cid, (entry) => {
    const { envelope: _dropped, ...rest } = entry;
    return rest;
  });
}

async function updateEntry(db: FeigeDb, cid: string, change: (entry: OutboxEntry) => OutboxEntry): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');

  await runAtomically(tx, async () => {
    const key = await tx.store.index('by-cid').getKey(cid);
    if (key === undefined) return;

    const entry = await tx.store.get(key);
    if (entry) await tx.store.put(change(entry));
  });
}
