// Conversation records: the list screen, unread counts and read markers.

import type { StoredConversation, FeigeDb } from './db';
import { runAtomically } from './apply-events';
import { newConversation } from './records';
import { countUnreadAfter, newestSeq, timelineOf } from './timeline';

export interface ReadMarker {
  conversationId: string;
  readSeq: number;
}

/** Returns all conversations, the most recently active first. */
export async function listConversations(db: FeigeDb): Promise<StoredConversation[]> {
  const byActivity = await db.getAllFromIndex('conversations', 'by-activity');
  return byActivity.reverse();
}

export async function getConversation(db: FeigeDb, id: string): Promise<StoredConversation | undefined> {
  return db.get('conversations', id);
}

/**
 * Creates an empty conversation, so a chat the user just opened shows in the
 * list before its first message. Returns false when it already existed,
 * which leaves it unchanged.
 */
export async function ensureConversation(db: FeigeDb, id: string, peerId: string, now: number): Promise<boolean> {
  const tx = db.transaction('conversations', 'readwrite');

  return runAtomically(tx, async () => {
    if ((await tx.store.get(id)) !== undefined) return false;
    await tx.store.put({ ...newConversation(id, peerId), lastActivity: now });
    return true;
  });
}

export interface MarkReadResult {
  /** The stored conversation changed, so views must reload. */
  changed: boolean;
  /** The marker to send to the server, or null when the server already has it. */
  marker: ReadMarker | null;
}

/** Marks a conversation read up to its newest stored message. */
export async function markConversationRead(db: FeigeDb, me: string, conversationId: string): Promise<MarkReadResult> {
  const tx = db.transaction(['messages', 'messageBlocks', 'conversations'], 'readwrite');

  return runAtomically(tx, async () => {
    const unchanged: MarkReadResult = { changed: false, marker: null };
    const conversations = tx.objectStore('conversations');
    const conversation = await conversations.get(conversationId);
    if (!conversation) return unchanged;

    const timeline = timelineOf(tx);
    const newest = await newestSeq(timeline, conversationId);
    // Entries of a `pull` group come through group.sync without an inbox seq, so only the local count resets.
    if (conversation.group && conversation.unread > 0 && newest === undefined) {
      await conversations.put({ ...conversation, unread: 0 });
      return { changed: true, marker: null };
    }
    if (newest === undefined) return unchanged;

    const readSeq = Math.max(conversation.lastReadSeq, newest);
    const unread = conversation.group ? 0 : await countUnreadAfter(timeline, me, conversationId, readSeq);
    const changed = readSeq !== conversation.lastReadSeq || unread !== conversation.unread;
    if (changed) await conversations.put({ ...conversation, lastReadSeq: readSeq, unread });

    const marker = readSeq > conversation.sentReadSeq ? { conversationId, readSeq } : null;
    return { changed, marker };
  });
}

/** Read markers set on this device that the server has not received yet, for example while offline. */
export async function listUnsentReads(db: FeigeDb): Promise<ReadMarker[]> {
  const all = await db.getAll('conversations');
  return all
    .filter((conversation) => conversation.lastReadSeq > conversation.sentReadSeq)
    .map((conversation) => ({ conversationId: conversation.id, readSeq: conversation.lastReadSeq }));
}

export async function markReadSent(db: FeigeDb, marker: ReadMarker): Promise<void> {
  const tx = db.transaction('conversations', 'readwrite');

  await runAtomically(tx, async () => {
    const conversations = tx.objectStore('conversations');
    const conversation = await conversations.get(marker.conversationId);
    if (!conversation || conversation.sentReadSeq >= marker.readSeq) return;

    await conversations.put({ ...conversation, sentReadSeq: marker.readSeq });
  });
}
