import { describe, expect, test } from 'vitest';
import { directConversationId } from '../../protocol/frames';
import { applyInboxEvents } from '../../web/app/store/apply-events';
import type { FeigeDb } from '../../web/app/store/db';
import { MESSAGE_BLOCK_MIN } from '../../web/app/store/message-blocks';
import { findWindowStart, loadMessagesSince, loadMessagesSinceAtMost } from '../../web/app/store/messages';
import {
  MESSAGE_PAGE_SIZE,
  REFRESHED_WINDOW_MAX,
  readNewestWindow,
  readWindow,
  refreshWindow,
  rememberedWindows,
} from '../../web/app/ui/chat/message-windows';
import { BOB, messageEvent, openFreshDb } from './helpers';

/** Stores `count` messages from Bob with seqs from `firstSeq`, one event per call, so each stays a record. */
async function receiveOneByOne(db: FeigeDb, userId: string, firstSeq: number, count: number): Promise<void> {
  for (let seq = firstSeq; seq < firstSeq + count; seq++) {
    await applyInboxEvents(db, userId, [messageEvent(seq, { from: BOB, to: userId })]);
  }
}

/** Stores `count` messages from Bob with seqs from `firstSeq` in one page, which makes blocks of them. */
async function receiveAtOnce(db: FeigeDb, userId: string, firstSeq: number, count: number): Promise<void> {
  const events = Array.from({ length: count }, (_, index) => messageEvent(firstSeq + index, { from: BOB, to: userId }));
  await applyInboxEvents(db, userId, events);
}

describe('messages since, at most max', () => {
  test('exactly the maximum returns all', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await receiveOneByOne(db, userId, 1, 5);

    const messages = await loadMessagesSinceAtMost(db, conversationId, -Infinity, 5);

    expect(messages).toEqual(await loadMessagesSince(db, conversationId, -Infinity));
  });

  test('returns null past the maximum', async () => {
    const { db, userId } = await openFreshDb();
    await receiveOneByOne(db, userId, 1, 5);

    expect(await loadMessagesSinceAtMost(db, directConversationId(userId, BOB), -Infinity, 4)).toBeNull();
  });

  test('counts block messages from start', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await receiveAtOnce(db, userId, 1, 2 * MESSAGE_BLOCK_MIN);
    expect(await db.count('messageBlocks')).toBe(1);
    const all = await loadMessagesSince(db, conversationId, -Infinity);
    const start = all[MESSAGE_BLOCK_MIN]!.ts;

    expect(await loadMessagesSinceAtMost(db, conversationId, start, MESSAGE_BLOCK_MIN)).toEqual(all.slice(MESSAGE_BLOCK_MIN));
    expect(await loadMessagesSinceAtMost(db, conversationId, start, MESSAGE_BLOCK_MIN - 1)).toBeNull();
  });
});

describe('stale window refresh', () => {
  test('unchanged without new messages', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await receiveOneByOne(db, userId, 1, MESSAGE_PAGE_SIZE + 10);
    const stale = await readWindow(db, conversationId, null, 1);

    expect(await refreshWindow(db, stale, 2)).toEqual({ ...stale, version: 2 });
  });

  test('new messages give newest page', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await receiveOneByOne(db, userId, 1, MESSAGE_PAGE_SIZE + 10);
    const stale = await readWindow(db, conversationId, null, 1);
    expect(stale.messages).toHaveLength(MESSAGE_PAGE_SIZE);

    await receiveAtOnce(db, userId, MESSAGE_PAGE_SIZE + 11, MESSAGE_BLOCK_MIN);
    const fresh = await refreshWindow(db, stale, 2);

    expect(fresh).toEqual(await readWindow(db, conversationId, null, 2));
    expect(fresh.start).toBeGreaterThan(stale.start);
    expect(fresh.messages).toHaveLength(MESSAGE_PAGE_SIZE);
    expect(fresh.hasOlder).toBe(true);
  });

  test('short chat grown past page', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await receiveOneByOne(db, userId, 1, 3);
    const stale = await readWindow(db, conversationId, null, 1);
    expect(stale.start).toBe(-Infinity);

    await receiveOneByOne(db, userId, 4, MESSAGE_PAGE_SIZE);
    const fresh = await refreshWindow(db, stale, 2);

    expect(fresh).toEqual(await readWindow(db, conversationId, null, 2));
    expect(fresh.hasOlder).toBe(true);
  });

  test('maximum new messages, newest page', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await receiveOneByOne(db, userId, 1, MESSAGE_PAGE_SIZE);
    const stale = await readWindow(db, conversationId, null, 1);
    await receiveAtOnce(db, userId, MESSAGE_PAGE_SIZE + 1, REFRESHED_WINDOW_MAX - MESSAGE_PAGE_SIZE);
    expect(await loadMessagesSinceAtMost(db, conversationId, stale.start, REFRESHED_WINDOW_MAX)).toHaveLength(REFRESHED_WINDOW_MAX);

    expect(await refreshWindow(db, stale, 2)).toEqual(await readWindow(db, conversationId, null, 2));
  });

  test('past maximum reads newest page', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await receiveOneByOne(db, userId, 1, MESSAGE_PAGE_SIZE);
    const stale = await readWindow(db, conversationId, null, 1);
    await receiveAtOnce(db, userId, MESSAGE_PAGE_SIZE + 1, REFRESHED_WINDOW_MAX - MESSAGE_PAGE_SIZE + 1);
    expect(await loadMessagesSinceAtMost(db, conversationId, stale.start, REFRESHED_WINDOW_MAX)).toBeNull();

    const fresh = await refreshWindow(db, stale, 2);

    expect(fresh).toEqual(await readWindow(db, conversationId, null, 2));
    expect(fresh.start).toBe(await findWindowStart(db, conversationId, Infinity, MESSAGE_PAGE_SIZE));
  });

  test('newest window from remembered one', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await receiveOneByOne(db, userId, 1, MESSAGE_PAGE_SIZE + 10);

    const first = await readNewestWindow(db, conversationId, 1);
    expect(first).toEqual(await readWindow(db, conversationId, null, 1));
    rememberedWindows(db).set(conversationId, first);
    await receiveOneByOne(db, userId, MESSAGE_PAGE_SIZE + 11, 3);

    expect(await readNewestWindow(db, conversationId, 2)).toEqual(await readWindow(db, conversationId, null, 2));
  });
});
