// A sync page writes each conversation once; the events of the page must
// still see each other's changes as if each had been written on its own.

import { describe, expect, test } from 'vitest';
import { directConversationId } from '../../protocol/frames';
import { applyInboxEvents } from '../../web/app/store/apply-events';
import { getConversation } from '../../web/app/store/conversations';
import { sentMessageRecord } from '../../web/app/store/records';
import { BOB, messageEvent, openFreshDb, readEvent } from './helpers';

describe('conversation writes of a page', () => {
  test('page of messages counts every one', async () => {
    const { db, userId } = await openFreshDb();
    const events = Array.from({ length: 200 }, (_, i) => messageEvent(i + 1, { from: BOB, to: userId, text: `m${i + 1}` }));

    await applyInboxEvents(db, userId, events);

    const conversation = await getConversation(db, directConversationId(userId, BOB));
    expect(conversation?.unread).toBe(200);
    expect(conversation?.lastMessage?.text).toBe('m200');
  });

  test('read event inside page applies', async () => {
    const { db, userId } = await openFreshDb();
    const conversationId = directConversationId(userId, BOB);
    const events = [
      messageEvent(1, { from: BOB, to: userId, text: 'one' }),
      messageEvent(2, { from: BOB, to: userId, text: 'two' }),
      readEvent(3, conversationId, 2),
      messageEvent(4, { from: BOB, to: userId, text: 'four' }),
    ];

    await applyInboxEvents(db, userId, events);

    const conversation = await getConversation(db, conversationId);
    expect(conversation?.lastReadSeq).toBe(2);
    expect(conversation?.unread).toBe(1);
    expect(conversation?.lastMessage?.text).toBe('four');
  });

  test('stored message not counted twice', async () => {
    const { db, userId } = await openFreshDb();
    const events = [1, 2, 3].map((seq) => messageEvent(seq, { from: BOB, to: userId, text: `m${seq}` }));
    const second = events[1]!;
    if (second.kind !== 'message') throw new Error('expected a message event');
    // A record of the second message exists although lastSeq is still 0, as after a write outside the inbox path.
    await db.put('messages', sentMessageRecord(second.message, second.seq, { type: 'text', text: 'm2' }));

    await applyInboxEvents(db, userId, events);

    const conversation = await getConversation(db, directConversationId(userId, BOB));
    expect(conversation?.unread).toBe(2);
    expect(await db.count('messages')).toBe(3);
  });
});
