// Reads a conversation's messages from both places they are stored: one
// record each in `messages`, and blocks of received messages in
// `messageBlocks` (message-blocks.ts). Every screen reads messages through
// here, so none of them needs to know which store contains a message.

import type { IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import type { FeigeSchema, StoredMessage, StoredMessageBlock } from './db';

type AnyStores = ArrayLike<StoreNames<FeigeSchema>>;
type MessageStore = IDBPObjectStore<FeigeSchema, AnyStores, 'messages', IDBTransactionMode>;
type BlockStore = IDBPObjectStore<FeigeSchema, AnyStores, 'messageBlocks', IDBTransactionMode>;

/** The two stores of one transaction that contain messages. */
export interface Timeline {
  messages: MessageStore;
  blocks: BlockStore;
}

/** Returns the stores of `tx` that contain messages; the transaction must include both. */
export function timelineOf(tx: IDBPTransaction<FeigeSchema, AnyStores, IDBTransactionMode>): Timeline {
  return { messages: tx.objectStore('messages'), blocks: tx.objectStore('messageBlocks') };
}

/** Returns whether a stored record is a message someone wrote, as opposed to a notice or a group's system line. */
export function countsAsUnread(content: { type: string }): boolean {
  return content.type === 'text' || content.type === 'unavailable';
}

/**
 * Returns the messages with ts >= `start`, ordered by ts and, on equal ts,
 * by key, as the `by-conversation-ts` index orders records.
 */
export async function messagesSince(timeline: Timeline, conversationId: string, start: number): Promise<StoredMessage[]> {
  return (await messagesSinceAtMost(timeline, conversationId, start, undefined))!;
}

/**
 * Returns what messagesSince does, or null when more than `max` messages have
 * ts >= `start`, reading at most `max` + 1 records and blocks. Every block in
 * the range contains at least one such message, so more than `max` blocks mean more than `max` messages.
 */
export async function messagesSinceAtMost(
  timeline: Timeline,
  conversationId: string,
  start: number,
  max: number | undefined,
): Promise<StoredMessage[] | null> {
  const range = IDBKeyRange.bound([conversationId, start], [conversationId, Infinity]);
  const limit = max === undefined ? undefined : max + 1;
  const [records, blocks] = await Promise.all([
    timeline.messages.index('by-conversation-ts').getAll(range, limit),
    timeline.blocks.index('by-conversation-last-ts').getAll(range, limit),
  ]);

  const fromBlocks = blocks.flatMap((block) => block.messages.filter((message) => message.ts >= start));
  if (max !== undefined && records.length + fromBlocks.length > max) return null;
  if (fromBlocks.length === 0) return records;
  return [...records, ...fromBlocks].sort(byTsThenKey);
}

/** Returns whether any message of the conversation has ts < `start`. */
export async function hasMessagesBefore(timeline: Timeline, conversationId: string, start: number): Promise<boolean> {
  if (start === -Infinity) return false;
  const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, start], false, true);
  const [records, blocks] = await Promise.all([
    timeline.messages.index('by-conversation-ts').count(range),
    timeline.blocks.count(range),
  ]);
  return records > 0 || blocks > 0;
}

/**
 * Returns the ts of the `count`-th newest message with ts < `before`, or
 * -Infinity when fewer than `count` are older. Each store gives a lower
 * bound first: the ts of its own `count`-th newest message. The result is at
 * or above the larger bound, so only messages there are compared. The
 * records' bound takes one cursor `advance`, not a step per record: each step
 * is a round trip to the browser's storage process.
 */
export async function windowStart(timeline: Timeline, conversationId: string, before: number, count: number): Promise<number> {
  if (before === -Infinity) return -Infinity;
  const [recordBound, blockTs] = await Promise.all([
    recordsBound(timeline.messages, conversationId, before, count),
    newestBlockTs(timeline.blocks, conversationId, before, count),
  ]);
  const blockBound = blockTs.length >= count ? blockTs[count - 1]! : -Infinity;
  // With one store empty the other decides, and a third request is saved.
  if (blockTs.length === 0) return recordBound ?? -Infinity;
  if (recordBound === null) return blockBound;

  const bound = Math.max(recordBound, blockBound);
  const range = IDBKeyRange.bound([conversationId, bound], [conversationId, before], false, true);
  const records = await timeline.messages.index('by-conversation-ts').getAll(range);
  const newest = [...records.map((record) => record.ts), ...blockTs.filter((ts) => ts >= bound)].sort((a, b) => b - a);
  return newest.length >= count ? newest[count - 1]! : -Infinity;
}

/** Returns the highest inbox seq of the conversation's messages, or undefined when none has a seq. */
export async function newestSeq(timeline: Timeline, conversationId: string): Promise<number | undefined> {
  const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, Infinity]);
  const [record, block] = await Promise.all([
    timeline.messages.index('by-conversation-seq').openCursor(range, 'prev'),
    timeline.blocks.index('by-conversation-last-seq').openCursor(range, 'prev'),
  ]);
  const seqs = [record?.value.seq, block?.value.lastSeq].filter((seq) => seq !== undefined);
  return seqs.length === 0 ? undefined : Math.max(...seqs);
}

/** Counts the peer's messages after `readSeq`: the unread badge of a conversation. */
export async function countUnreadAfter(timeline: Timeline, me: string, conversationId: string, readSeq: number): Promise<number> {
  const range = IDBKeyRange.bound([conversationId, readSeq], [conversationId, Infinity], true, false);
  const [records, blocks] = await Promise.all([
    timeline.messages.index('by-conversation-seq').getAll(range),
    timeline.blocks.index('by-conversation-last-seq').getAll(range),
  ]);

  const unread = (message: StoredMessage) => message.from !== me && (message.seq ?? 0) > readSeq && countsAsUnread(message.content);
  let count = records.filter(unread).length;
  for (const block of blocks) count += block.messages.filter(unread).length;
  return count;
}

/** Returns the ts of the `count`-th newest record with ts < `before`, -Infinity when there are fewer, null when there is none. */
async function recordsBound(messages: MessageStore, conversationId: string, before: number, count: number): Promise<number | null> {
  const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, before], false, true);
  const newest = await messages.index('by-conversation-ts').openCursor(range, 'prev');
  if (!newest) return null;

  const oldest = count > 1 ? await newest.advance(count - 1) : newest;
  return oldest ? oldest.value.ts : -Infinity;
}

/**
 * Returns the ts of block messages older than `before`, newest first: at
 * least the `count` newest, and every one at or above the `count`-th. The
 * blocks that reach from below `before` to above it come first, found by
 * their keys. The blocks wholly below follow in order of their newest ts,
 * until one has only messages below the `count`-th. So scrolling up through
 * a long chat reads no block newer than the window.
 */
async function newestBlockTs(blocks: BlockStore, conversationId: string, before: number, count: number): Promise<number[]> {
  const found: number[] = [];
  const add = (block: StoredMessageBlock) => {
    for (const message of block.messages) if (message.ts < before) found.push(message.ts);
    found.sort((a, b) => b - a);
  };
  const lastTs = blocks.index('by-conversation-last-ts');

  if (before !== Infinity) {
    const keys = await lastTs.getAllKeys(IDBKeyRange.bound([conversationId, before], [conversationId, Infinity]));
    const spanning = await Promise.all(keys.filter(([, firstTs]) => firstTs < before).map((key) => blocks.get(key)));
    for (const block of spanning) if (block) add(block);
  }

  const below = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, before], false, true);
  for (let cursor = await lastTs.openCursor(below, 'prev'); cursor; cursor = await cursor.continue()) {
    if (found.length >= count && cursor.value.lastTs < found[count - 1]!) break;
    add(cursor.value);
  }
  return found;
}

function byTsThenKey(a: StoredMessage, b: StoredMessage): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.key === b.key) return 0;
  return a.key < b.key ? -1 : 1;
}
