import { describe, expect, test } from 'vitest';
import type { InboxEvent } from '../../protocol/frames';
import { directConversationId } from '../../protocol/frames';
import { applyAck, applyInboxEvents } from '../../web/app/store/apply-events';
import { getConversation, markConversationRead } from '../../web/app/store/conversations';
import { readLastSeq } from '../../web/app/store/db';
import { listOutbox, queueMessage } from '../../web/app/store/outbox';
import { BOB, messageEvent, openFreshDb, readEvent } from './helpers';

describe('applying inbox events', () => {
  test('R2 page stores events and lastSeq', async () => {
    const { db, userId } = await openFreshDb();
    const events = [1, 2, 3].map((seq) => messageEvent(seq, { from: BOB, to: userId }));

    const result = await applyInboxEvents(db, userId, events);

    expect(result.applied).toBe(3);
    expect(result.lastSeq).toBe(3);
    expect(await readLastSeq(db)).toBe(3);
    expect(await db.count('messages')).toBe(3);
  });

  test('R2 failed page leaves nothing behind', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, [messageEvent(1, { from: BOB, to: userId })]);
    const broken = { kind: 'message', seq: 3, ts: 0, message: undefined } as unknown as InboxEvent;

    const page = [messageEvent(2, { from: BOB, to: userId }), broken];
    await expect(applyInboxEvents(db, userId, page)).rejects.toThrow();

    expect(await readLastSeq(db)).toBe(1);
    expect(await db.count('messages')).toBe(1);
    const conversation = await getConversation(db, directConversationId(userId, BOB));
    expect(conversation?.unread).toBe(1);
  });

  test('R2 replayed events are skipped', async () => {
    const { db, userId } = await openFreshDb();
    const events = [1, 2].map((seq) => messageEvent(seq, { from: BOB, to: userId }));
    await applyInboxEvents(db, userId, events);

    const replay = await applyInboxEvents(db, userId, [...events, messageEvent(3, { from: BOB, to: userId })]);

    expect(replay.applied).toBe(1);
    expect(await db.count('messages')).toBe(3);
    const conversation = await getConversation(db, directConversationId(userId, BOB));
    expect(conversation?.unread).toBe(3);
  });

  test('peer message raises unread count', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);

    await applyInboxEvents(db, userId, [messageEvent(1, { from: BOB, to: userId, text: 'hi' })]);
    await applyInboxEvents(db, userId, [messageEvent(2, { from: userId, to: BOB, text: 'hello back' })]);

    const conversation = await getConversation(db, conversationId);
    expect(conversation?.unread).toBe(1);
    expect(conversation?.peerId).toBe(BOB);
    expect(conversation?.lastMessage?.text).toBe('hello back');
    expect(conversation?.lastMessage?.from).toBe(userId);
  });

  test('note to self stays read', async () => {
    const { db, userId } = await openFreshDb();

    await applyInboxEvents(db, userId, [messageEvent(1, { from: userId, to: userId, text: 'remember milk' })]);

    const conversation = await getConversation(db, directConversationId(userId, userId));
    expect(conversation?.peerId).toBe(userId);
    expect(conversation?.unread).toBe(0);
    expect(await db.count('messages')).toBe(1);
  });

  test('read event clears unread up to its seq', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    const messages = [1, 2, 3].map((seq) => messageEvent(seq, { from: BOB, to: userId }));

    await applyInboxEvents(db, userId, [...messages, readEvent(4, conversationId, 2)]);

    const conversation = await getConversation(db, conversationId);
    expect(conversation?.lastReadSeq).toBe(2);
    expect(conversation?.sentReadSeq).toBe(2);
    expect(conversation?.unread).toBe(1);
    expect(await readLastSeq(db)).toBe(4);
  });

  test('older read event keeps newer marker', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    const messages = [1, 2, 3].map((seq) => messageEvent(seq, { from: BOB, to: userId }));

    await applyInboxEvents(db, userId, [...messages, readEvent(4, conversationId, 3), readEvent(5, conversationId, 1)]);

    const conversation = await getConversation(db, conversationId);
    expect(conversation?.lastReadSeq).toBe(3);
    expect(conversation?.unread).toBe(0);
  });

  test('relation events advance lastSeq only', async () => {
    const { db, userId } = await openFreshDb();
    const follower = { id: BOB, username: 'bob', displayName: 'Bob' };

    const result = await applyInboxEvents(db, userId, [
      { kind: 'follow', seq: 1, ts: 1, follower },
      { kind: 'friend', seq: 2, ts: 2, action: 'requested', user: follower, message: 'hi' },
    ]);

    expect(result).toEqual({ lastSeq: 2, applied: 2, conversationIds: [] });
    expect(await db.count('conversations')).toBe(0);
  });

  test('encrypted message has no preview text', async () => {
    const { db, userId } = await openFreshDb();
    const event = messageEvent(1, { from: BOB, to: userId });
    if (event.kind !== 'message') throw new Error('messageEvent built another kind');
    const envelope = { v: 1, senderDevice: 'device-1', recipients: [] } as unknown;
    const encrypted = { ...event, message: { ...event.message, content: { type: 'e2e', envelope } } } as InboxEvent;

    await applyInboxEvents(db, userId, [encrypted]);

    const conversation = await getConversation(db, directConversationId(userId, BOB));
    expect(conversation?.lastMessage?.text).toBeNull();
    expect(conversation?.unread).toBe(1);
  });

  test('message at or below read marker stays read', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    await applyInboxEvents(db, userId, [messageEvent(1, { from: BOB, to: userId })]);
    await markConversationRead(db, userId, conversationId);

    await applyInboxEvents(db, userId, [messageEvent(2, { from: BOB, to: userId })]);

    expect((await getConversation(db, conversationId))?.unread).toBe(1);
  });
});

describe('acks and own messages', () => {
  async function queueToBob(db: Awaited<ReturnType<typeof openFreshDb>>['db'], userId: string, cid: string) {
    return queueMessage(db, {
      cid,
      from: userId,
      to: BOB,
      conversationId: directConversationId(userId, BOB),
      content: { type: 'text', text: `text of ${cid}` },
      createdAt: 1_000,
    });
  }

  test('R3 ack replaces pending message', async () => {
    const { db, userId } = await openFreshDb();
    await queueToBob(db, userId, 'cid-00000001');
    const conversationId = directConversationId(userId, BOB);

    const result = await applyAck(db, { type: 'ack', cid: 'cid-00000001', messageId: 'm-1', conversationId, seq: 1, ts: 5_000 });

    expect(result).toEqual({ lastSeq: 1, gap: false, conversationId });
    expect(await db.get('messages', 'cid-00000001')).toBeUndefined();
    const sent = await db.get('messages', 'm-1');
    expect(sent?.status).toBe('sent');
    expect(sent?.seq).toBe(1);
    expect(sent?.ts).toBe(5_000);
    expect(await listOutbox(db)).toEqual([]);
    expect((await getConversation(db, conversationId))?.lastMessage?.status).toBe('sent');
  });

  test('R2 ack past next seq reports gap', async () => {
    const { db, userId } = await openFreshDb();
    await queueToBob(db, userId, 'cid-00000002');
    const conversationId = directConversationId(userId, BOB);

    const result = await applyAck(db, { type: 'ack', cid: 'cid-00000002', messageId: 'm-3', conversationId, seq: 3, ts: 5_000 });

    expect(result.gap).toBe(true);
    expect(result.lastSeq).toBe(0);
    expect((await db.get('messages', 'm-3'))?.status).toBe('sent');
  });

  test('R1 own event replaces pending copy', async () => {
    const { db, userId } = await openFreshDb();
    await queueToBob(db, userId, 'cid-00000003');

    const own = messageEvent(1, { from: userId, to: BOB, id: 'm-own', cid: 'cid-00000003', text: 'text of cid-00000003' });
    await applyInboxEvents(db, userId, [own]);

    expect(await db.count('messages')).toBe(1);
    expect((await db.get('messages', 'm-own'))?.status).toBe('sent');
    expect(await listOutbox(db)).toEqual([]);
  });

  test('ack after own event changes nothing', async () => {
    const { db, userId } = await openFreshDb();
    await queueToBob(db, userId, 'cid-00000004');
    const own = messageEvent(1, { from: userId, to: BOB, id: 'm-own', cid: 'cid-00000004' });
    await applyInboxEvents(db, userId, [own]);
    const conversationId = directConversationId(userId, BOB);

    const result = await applyAck(db, { type: 'ack', cid: 'cid-00000004', messageId: 'm-own', conversationId, seq: 1, ts: 9 });

    expect(result).toEqual({ lastSeq: 1, gap: false, conversationId });
    expect(await db.count('messages')).toBe(1);
  });
});
