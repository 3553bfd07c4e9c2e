// Reads message history of one conversation for the chat view. The view shows
// a window of the newest messages starting at a timestamp; scrolling to the
// top moves the start back by one page.

import type { FeigeDb, StoredMessage } from './db';
import { groupIdOfConversation } from './group-records';
import * as timeline from './timeline';

function readTimeline(db: FeigeDb): timeline.Timeline {
  return timeline.timelineOf(db.transaction(['messages', 'messageBlocks']));
}

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
  return timeline.windowStart(readTimeline(db), conversationId, before, count);
}

/**
 * Messages with ts >= `start`, oldest first; ties keep their key order. A
 * group's entries are in groupSeq order, which the server's clock need not
 * follow, and its pending messages come last.
 */
export async function loadMessagesSince(db: FeigeDb, conversationId: string, start: number): Promise<StoredMessage[]> {
  return inDisplayOrder(conversationId, await timeline.messagesSince(readTimeline(db), conversationId, start));
}

/** Returns what loadMessagesSince does, or null when more than `max` messages have ts >= `start`. */
export async function loadMessagesSinceAtMost(
  db: FeigeDb,
  conversationId: string,
  start: number,
  max: number,
): Promise<StoredMessage[] | null> {
  const messages = await timeline.messagesSinceAtMost(readTimeline(db), conversationId, start, max);
  return messages && inDisplayOrder(conversationId, messages);
}

function inDisplayOrder(conversationId: string, messages: StoredMessage[]): StoredMessage[] {
  if (groupIdOfConversation(conversationId) === null) return messages;

  const position = (message: StoredMessage) => message.groupSeq ?? Infinity;
  return messages.sort((a, b) => position(a) - position(b) || a.ts - b.ts);
}

/** Returns whether any message of the conversation is older than `start`. */
export async function hasMessagesBefore(db: FeigeDb, conversationId: string, start: number): Promise<boolean> {
  return timeline.hasMessagesBefore(readTimeline(db), conversationId, start);
}
