import { describe, expect, test } from 'vitest';
import { directConversationId } from '../../protocol/frames';
import { applyInboxEvents } from '../../web/app/store/apply-events';
import {
  ensureConversation,
  getConversation,
  listConversations,
  listUnsentReads,
  markConversationRead,
  markReadSent,
} from '../../web/app/store/conversations';
import { openFeigeDb, type FeigeDb } from '../../web/app/store/db';
import { findWindowStart, hasMessagesBefore, loadMessagesSince } from '../../web/app/store/messages';
import { listOutbox, markSendFailed, queueMessage } from '../../web/app/store/outbox';
import { cacheProfile, findCachedProfileByUsername } from '../../web/app/store/profiles';
import { BOB, messageEvent, openFreshDb } from './helpers';

function queueText(db: FeigeDb, userId: string, cid: string, createdAt = 1_000) {
  return queueMessage(db, {
    cid,
    from: userId,
    to: BOB,
    conversationId: directConversationId(userId, BOB),
    content: { type: 'text', text: `text of ${cid}` },
    createdAt,
  });
}

describe('outbox', () => {
  test('R3 outbox survives store reopen', async () => {
    const { db, userId } = await openFreshDb();
    await queueText(db, userId, 'cid-first-1', 1_000);
    await queueText(db, userId, 'cid-second', 2_000);
    db.close();

    const reopened = await openFeigeDb(userId);

    const outbox = await listOutbox(reopened);
    expect(outbox.map((entry) => entry.cid)).toEqual(['cid-first-1', 'cid-second']);
    expect((await reopened.get('messages', 'cid-first-1'))?.status).toBe('pending');
    const conversation = await getConversation(reopened, directConversationId(userId, BOB));
    expect(conversation?.lastMessage?.text).toBe('text of cid-second');
    expect(conversation?.lastMessage?.status).toBe('pending');
  });

  test('rejected send leaves outbox as failed', async () => {
    const { db, userId } = await openFreshDb();
    await queueText(db, userId, 'cid-too-long');

    await markSendFailed(db, 'cid-too-long', { code: 'text_too_long', limit: 4096, value: 5000 });

    expect(await listOutbox(db)).toEqual([]);
    const failed = await db.get('messages', 'cid-too-long');
    expect(failed?.status).toBe('failed');
    expect(failed?.failure).toEqual({ code: 'text_too_long', limit: 4096, value: 5000 });
    const conversation = await getConversation(db, directConversationId(userId, BOB));
    expect(conversation?.lastMessage?.status).toBe('failed');
  });

  test('same cid cannot queue twice', async () => {
    const { db, userId } = await openFreshDb();
    await queueText(db, userId, 'cid-dupe-01');

    await expect(queueText(db, userId, 'cid-dupe-01')).rejects.toThrow();

    expect(await listOutbox(db)).toHaveLength(1);
  });
});

describe('read markers', () => {
  test('opening chat marks newest seq read', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await applyInboxEvents(db, userId, [1, 2].map((seq) => messageEvent(seq, { from: BOB, to: userId })));

    const first = await markConversationRead(db, userId, conversationId);
    const second = await markConversationRead(db, userId, conversationId);

    expect(first).toEqual({ changed: true, marker: { conversationId, readSeq: 2 } });
    expect(second.changed).toBe(false);
    expect((await getConversation(db, conversationId))?.unread).toBe(0);
  });

  test('unsent marker waits until sent', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await applyInboxEvents(db, userId, [messageEvent(1, { from: BOB, to: userId })]);
    await markConversationRead(db, userId, conversationId);

    expect(await listUnsentReads(db)).toEqual([{ conversationId, readSeq: 1 }]);
    await markReadSent(db, { conversationId, readSeq: 1 });

    expect(await listUnsentReads(db)).toEqual([]);
    expect((await markConversationRead(db, userId, conversationId)).marker).toBeNull();
  });

  test('empty conversation has no marker', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await queueText(db, userId, 'cid-pending-only');

    expect(await markConversationRead(db, userId, conversationId)).toEqual({ changed: false, marker: null });
  });
});

describe('history window', () => {
  async function historyOf(count: number) {
    const { db, userId } = await openFreshDb();
    const events = Array.from({ length: count }, (_, index) =>
      messageEvent(index + 1, { from: index % 2 === 0 ? BOB : userId, to: index % 2 === 0 ? userId : BOB }),
    );
    await applyInboxEvents(db, userId, events);
    return { db, conversationId: directConversationId(userId, BOB) };
  }

  test('first window holds newest page', async () => {
    const { db, conversationId } = await historyOf(60);

    const start = await findWindowStart(db, conversationId, Infinity, 50);
    const shown = await loadMessagesSince(db, conversationId, start);

    expect(shown).toHaveLength(50);
    expect(shown[0]?.seq).toBe(11);
    expect(shown.at(-1)?.seq).toBe(60);
    expect(await hasMessagesBefore(db, conversationId, start)).toBe(true);
  });

  test('older window reaches first message', async () => {
    const { db, conversationId } = await historyOf(60);
    const newest = await findWindowStart(db, conversationId, Infinity, 50);

    const older = await findWindowStart(db, conversationId, newest, 50);
    const shown = await loadMessagesSince(db, conversationId, older);

    expect(older).toBe(-Infinity);
    expect(shown.map((message) => message.seq)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
  });

  test('short history fits first window', async () => {
    const { db, conversationId } = await historyOf(50);

    const start = await findWindowStart(db, conversationId, Infinity, 50);

    expect(await loadMessagesSince(db, conversationId, start)).toHaveLength(50);
    expect(await hasMessagesBefore(db, conversationId, start)).toBe(false);
  });
});

describe('conversation list and profiles', () => {
  test('list sorts by last activity', async () => {
    const { db, userId } = await openFreshDb();
    const carol = 'user-carol';
    await applyInboxEvents(db, userId, [
      messageEvent(1, { from: BOB, to: userId, ts: 1_000 }),
      messageEvent(2, { from: carol, to: userId, ts: 2_000 }),
    ]);

    const order = (await listConversations(db)).map((conversation) => conversation.peerId);
    expect(order).toEqual([carol, BOB]);

    await applyInboxEvents(db, userId, [messageEvent(3, { from: BOB, to: userId, ts: 3_000 })]);
    expect((await listConversations(db)).map((conversation) => conversation.peerId)).toEqual([BOB, carol]);
  });

  test('opened chat listed before messages', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);

    expect(await ensureConversation(db, conversationId, BOB, 5_000)).toBe(true);
    expect(await ensureConversation(db, conversationId, BOB, 9_000)).toBe(false);

    const [listed] = await listConversations(db);
    expect(listed).toMatchObject({ id: conversationId, peerId: BOB, lastMessage: null, lastActivity: 5_000, unread: 0 });
  });

  test('profile lookup ignores username case', async () => {
    const { db } = await openFreshDb();
    await cacheProfile(db, { id: BOB, username: 'Bob_1', displayName: 'Bob', bio: '' }, 1);

    expect((await findCachedProfileByUsername(db, 'bob_1'))?.id).toBe(BOB);
    expect(await findCachedProfileByUsername(db, 'carol')).toBeUndefined();
  });
});
