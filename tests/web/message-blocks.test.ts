import { describe, expect, test } from 'vitest';
import { directConversationId } from '../../protocol/frames';
import { applyInboxEvents } from '../../web/app/store/apply-events';
import { getConversation, markConversationRead } from '../../web/app/store/conversations';
import type { FeigeDb, StoredMessage } from '../../web/app/store/db';
import { MESSAGE_BLOCK_MAX, MESSAGE_BLOCK_MIN } from '../../web/app/store/message-blocks';
import { findWindowStart, hasMessagesBefore, loadMessagesSince } from '../../web/app/store/messages';
import { BOB, messageEvent, openFreshDb, readEvent } from './helpers';

const CAROL = 'user-carol';

function fromBob(userId: string, count: number, firstSeq = 1) {
  return Array.from({ length: count }, (_, index) => messageEvent(firstSeq + index, { from: BOB, to: userId }));
}

async function blockSizes(db: FeigeDb): Promise<number[]> {
  return (await db.getAll('messageBlocks')).map((block) => block.messages.length);
}

describe('received messages stored as blocks', () => {
  test('below the minimum stays records', async () => {
    const { db, userId } = await openFreshDb();

    await applyInboxEvents(db, userId, fromBob(userId, MESSAGE_BLOCK_MIN - 1));

    expect(await db.count('messages')).toBe(MESSAGE_BLOCK_MIN - 1);
    expect(await db.count('messageBlocks')).toBe(0);
  });

  test('the minimum makes one block', async () => {
    const { db, userId } = await openFreshDb();

    await applyInboxEvents(db, userId, fromBob(userId, MESSAGE_BLOCK_MIN));

    expect(await db.count('messages')).toBe(0);
    expect(await blockSizes(db)).toEqual([MESSAGE_BLOCK_MIN]);
  });

  test('the maximum fills one block', async () => {
    const { db, userId } = await openFreshDb();

    await applyInboxEvents(db, userId, fromBob(userId, MESSAGE_BLOCK_MAX));

    expect(await blockSizes(db)).toEqual([MESSAGE_BLOCK_MAX]);
  });

  test('past the maximum starts another block', async () => {
    const { db, userId } = await openFreshDb();

    await applyInboxEvents(db, userId, fromBob(userId, MESSAGE_BLOCK_MAX + 1));

    expect(await blockSizes(db)).toEqual([MESSAGE_BLOCK_MAX, 1]);
  });

  test('own messages stay records', async () => {
    const { db, userId } = await openFreshDb();
    const own = Array.from({ length: MESSAGE_BLOCK_MIN }, (_, index) => messageEvent(index + 1, { from: userId, to: BOB }));

    await applyInboxEvents(db, userId, own);

    expect(await db.count('messages')).toBe(MESSAGE_BLOCK_MIN);
    expect(await db.count('messageBlocks')).toBe(0);
  });

  test('block contains one conversation', async () => {
    const { db, userId } = await openFreshDb();
    const events = Array.from({ length: 2 * MESSAGE_BLOCK_MIN }, (_, index) =>
      messageEvent(index + 1, { from: index % 2 === 0 ? BOB : CAROL, to: userId }),
    );

    await applyInboxEvents(db, userId, events);

    const blocks = await db.getAll('messageBlocks');
    expect(blocks.map((block) => block.conversationId).sort()).toEqual(
      [directConversationId(userId, BOB), directConversationId(userId, CAROL)].sort(),
    );
  });

  test('chat view reads blocked messages', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, fromBob(userId, 3 * MESSAGE_BLOCK_MIN));

    const messages = await loadMessagesSince(db, directConversationId(userId, BOB), -Infinity);

    expect(messages.map((message) => message.seq)).toEqual(Array.from({ length: 3 * MESSAGE_BLOCK_MIN }, (_, index) => index + 1));
  });

  test('unread counts blocked messages', async () => {
    const { db, userId } = await openFreshDb();

    await applyInboxEvents(db, userId, fromBob(userId, MESSAGE_BLOCK_MIN));

    const conversation = await getConversation(db, directConversationId(userId, BOB));
    expect(conversation?.unread).toBe(MESSAGE_BLOCK_MIN);
  });

  test('read event recounts blocked messages', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    const events = [...fromBob(userId, MESSAGE_BLOCK_MIN), readEvent(MESSAGE_BLOCK_MIN + 1, conversationId, 4)];

    await applyInboxEvents(db, userId, events);

    expect((await getConversation(db, conversationId))?.unread).toBe(MESSAGE_BLOCK_MIN - 4);
  });

  test('marking read reaches the newest block', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await applyInboxEvents(db, userId, fromBob(userId, MESSAGE_BLOCK_MIN));

    const result = await markConversationRead(db, userId, conversationId);

    expect(result.marker).toEqual({ conversationId, readSeq: MESSAGE_BLOCK_MIN });
  });

  test('marking read clears blocked unread', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await applyInboxEvents(db, userId, fromBob(userId, MESSAGE_BLOCK_MIN));

    await markConversationRead(db, userId, conversationId);

    expect((await getConversation(db, conversationId))?.unread).toBe(0);
  });

  test('replayed page adds no block', async () => {
    const { db, userId } = await openFreshDb();
    const events = fromBob(userId, MESSAGE_BLOCK_MIN);
    await applyInboxEvents(db, userId, events);

    await applyInboxEvents(db, userId, events);

    expect(await db.count('messageBlocks')).toBe(1);
  });
});

/** Returns a small deterministic generator, so that a failing case can be run again. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * Stores a conversation of `count` messages with clashing and out-of-order
 * timestamps. Pages alternate between many received messages (blocks) and a
 * few messages of both sides (records).
 */
async function storeMixedConversation(db: FeigeDb, userId: string, random: () => number, count: number): Promise<void> {
  let seq = 1;
  while (seq <= count) {
    const many = random() < 0.5;
    const size = many ? MESSAGE_BLOCK_MIN + Math.floor(random() * 2 * MESSAGE_BLOCK_MAX) : 1 + Math.floor(random() * 4);
    const events = [];
    for (let index = 0; index < size && seq <= count; index++, seq++) {
      const from = many || random() < 0.5 ? BOB : userId;
      const ts = 1_000 + Math.floor(seq / 3) * 10 + Math.floor(random() * 25);
      events.push(messageEvent(seq, { from, to: from === BOB ? userId : BOB, ts }));
    }
    await applyInboxEvents(db, userId, events);
  }
}

/** Orders as the `by-conversation-ts` index does: by ts, then by key in code unit order. */
function byTsThenKey(a: StoredMessage, b: StoredMessage): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.key === b.key) return 0;
  return a.key < b.key ? -1 : 1;
}

/** Returns the window start a flat list of every message gives: the reference for the reads over records and blocks. */
function referenceWindowStart(all: readonly StoredMessage[], before: number, count: number): number {
  const older = all.map((message) => message.ts).filter((ts) => ts < before).sort((a, b) => b - a);
  return older.length >= count ? older[count - 1]! : -Infinity;
}

describe('reads over records and blocks', () => {
  test('match a flat message list', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    const random = seededRandom(7);
    await storeMixedConversation(db, userId, random, 1_500);
    expect(await db.count('messages')).toBeGreaterThan(0);
    expect(await db.count('messageBlocks')).toBeGreaterThan(1);

    const all = await loadMessagesSince(db, conversationId, -Infinity);
    expect(all.map((message) => message.seq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 1_500 }, (_, index) => index + 1));
    expect(all).toEqual([...all].sort(byTsThenKey));

    for (let trial = 0; trial < 40; trial++) {
      const before = trial === 0 ? Infinity : 1_000 + Math.floor(random() * 5_200);
      const count = [1, 2, 50, 51, 100, 700][trial % 6]!;
      const start = await findWindowStart(db, conversationId, before, count);
      expect(start, `before ${before}, count ${count}`).toBe(referenceWindowStart(all, before, count));
      expect(await loadMessagesSince(db, conversationId, start)).toEqual(all.filter((message) => message.ts >= start));
      expect(await hasMessagesBefore(db, conversationId, start)).toBe(all.some((message) => message.ts < start));
    }
  });

  test('unread matches a flat list', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await storeMixedConversation(db, userId, seededRandom(11), 800);
    const all = await loadMessagesSince(db, conversationId, -Infinity);

    await applyInboxEvents(db, userId, [readEvent(801, conversationId, 333)]);

    const expected = all.filter((message) => message.from === BOB && message.seq! > 333).length;
    expect((await getConversation(db, conversationId))?.unread).toBe(expected);
  });
});

describe('window over one store', () => {
  test('blocks alone give the start', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, fromBob(userId, 3 * MESSAGE_BLOCK_MIN));
    const all = await loadMessagesSince(db, directConversationId(userId, BOB), -Infinity);

    const start = await findWindowStart(db, directConversationId(userId, BOB), Infinity, 10);

    expect(start).toBe(all[all.length - 10]!.ts);
  });

  test('records alone give the start', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, fromBob(userId, MESSAGE_BLOCK_MIN - 1));
    const all = await loadMessagesSince(db, directConversationId(userId, BOB), -Infinity);

    const start = await findWindowStart(db, directConversationId(userId, BOB), Infinity, 10);

    expect(start).toBe(all[all.length - 10]!.ts);
  });
});
