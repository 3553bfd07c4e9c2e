// Reads message history of one conversation for the chat view. The view shows
// a window of the newest messages starting at a timestamp; scrolling to the
// top moves the start back by one page.

import type { FeigeDb, StoredMessage } from './db';
import { groupIdOfConversation } from './group-records';

/**
 * Returns the timestamp at which a window holding `count` more messages older
 * than `before` starts, or -Infinity when fewer than `count` are older, so
 * the window reaches back to the first message. Pass Infinity as `before`
 * for the first window.
 */
export async function findWindowStart(
  db: FeigeDb,
  conversationId: string,
  before: number,
  count: number,
): Promise<number> {
  const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, before], false, true);
  const index = db.transaction('messages').store.index('by-conversation-ts');

  let seen = 0;
  for (let cursor = await index.openCursor(range, 'prev'); cursor; cursor = await cursor.continue()) {
    seen++;
    if (seen === count) return cursor.value.ts;
  }
  return -Infinity;
}

/**
 * Messages with ts >= `start`, oldest first; ties keep their key order. A
 * group's entries are in groupSeq order, which the server's clock need not
 * follow, and its pending messages come last.
 */
export async function loadMessagesSince(db: FeigeDb, conversationId: string, start: number): Promise<StoredMessage[]> {
  const range = IDBKeyRange.bound([conversationId, start], [conversationId, Infinity]);
  const messages = await db.getAllFromIndex('messages', 'by-conversation-ts', range);
  if (groupIdOfConversation(conversationId) === null) return messages;

  const position = (message: StoredMessage) => message.groupSeq ?? Infinity;
  return messages.sort((a, b) => position(a) - position(b) || a.ts - b.ts);
}

/** Returns whether any message of the conversation is older than `start`. */
export async function hasMessagesBefore(db: FeigeDb, conversationId: string, start: number): Promise<boolean> {
  const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, start], false, true);
  return (await db.countFromIndex('messages', 'by-conversation-ts', range)) > 0;
}
