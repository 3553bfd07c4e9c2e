import { describe, expect, test } from 'vitest';
import type { InboxEvent } from '../../protocol/frames';
import { applyInboxEvents } from '../../web/app/store/apply-events';
import { getConversation, markConversationRead } from '../../web/app/store/conversations';
import { readLastSeq } from '../../web/app/store/db';
import { applyGroupAck, applyGroupPage } from '../../web/app/store/group-log';
import { groupConversationId } from '../../web/app/store/group-records';
import { getStoredGroup, listGroupNotices, queueGroupMessage, saveGroupInfo } from '../../web/app/store/groups';
import { loadMessagesSince } from '../../web/app/store/messages';
import { listOutbox } from '../../web/app/store/outbox';
import { BOB, openFreshDb } from './helpers';
import { CAROL, GROUP, changeEntry, groupChangeEvent, groupMessage, groupMessageEvent, messageEntry } from './group-helpers';

const CONVERSATION = groupConversationId(GROUP);

/** Returns the events a member of an inbox group receives: created, own join, a message from Bob. */
function inboxGroupStart(me: string): InboxEvent[] {
  return [
    groupChangeEvent(1, { type: 'created', by: BOB, name: 'Hikers' }, 1),
    groupChangeEvent(2, { type: 'joined', userId: me, by: BOB, delivery: 'inbox' }, 2),
    groupMessageEvent(3, groupMessage(3, BOB, { text: 'welcome' })),
  ];
}

describe('group inbox events', () => {
  test('group entries stored with lastSeq', async () => {
    const { db, userId } = await openFreshDb();

    const result = await applyInboxEvents(db, userId, inboxGroupStart(userId));

    expect(result.applied).toBe(3);
    expect(result.conversationIds).toEqual([CONVERSATION]);
    expect(await readLastSeq(db)).toBe(3);
    const conversation = await getConversation(db, CONVERSATION);
    expect(conversation?.group).toEqual({ groupId: GROUP, name: 'Hikers', state: 'member' });
    expect(conversation?.unread).toBe(1);
    expect(conversation?.lastMessage?.text).toBe('welcome');
    expect(conversation?.lastMessage?.from).toBe(BOB);
    const group = await getStoredGroup(db, GROUP);
    expect(group?.delivery).toBe('inbox');
    expect(group?.lastGroupSeq).toBe(3);
  });

  test('R2 replayed group events skipped', async () => {
    const { db, userId } = await openFreshDb();
    const events = inboxGroupStart(userId);
    await applyInboxEvents(db, userId, events);

    const replay = await applyInboxEvents(db, userId, events);

    expect(replay.applied).toBe(0);
    expect(await db.count('messages')).toBe(3);
    expect((await getConversation(db, CONVERSATION))?.unread).toBe(1);
  });

  test('R4 entries shown in group order', async () => {
    const { db, userId } = await openFreshDb();
    const late = groupMessage(4, BOB, { text: 'second', ts: 1_000 });
    const early = groupMessage(3, CAROL, { text: 'first', ts: 5_000 });

    await applyInboxEvents(db, userId, [
      groupChangeEvent(1, { type: 'joined', userId, delivery: 'inbox' }, 2),
      groupMessageEvent(2, early),
      groupMessageEvent(3, late),
    ]);

    const shown = await loadMessagesSince(db, CONVERSATION, -Infinity);
    expect(shown.map((message) => message.groupSeq)).toEqual([2, 3, 4]);
    expect(shown.map((message) => message.content.type)).toEqual(['system', 'text', 'text']);
  });

  test('R4 inbox and sync copies stored once', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, inboxGroupStart(userId));

    await applyGroupPage(db, userId, GROUP, [
      changeEntry(1, { type: 'created', by: BOB, name: 'Hikers' }),
      changeEntry(2, { type: 'joined', userId, by: BOB, delivery: 'inbox' }),
      messageEntry(groupMessage(3, BOB, { text: 'welcome' })),
    ]);

    expect(await db.count('messages')).toBe(3);
    expect((await getConversation(db, CONVERSATION))?.unread).toBe(1);
  });

  test('kick marks group removed', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, inboxGroupStart(userId));

    await applyInboxEvents(db, userId, [groupChangeEvent(4, { type: 'kicked', userId, by: BOB }, 4)]);

    expect((await getConversation(db, CONVERSATION))?.group?.state).toBe('removed');
    expect((await getStoredGroup(db, GROUP))?.state).toBe('removed');
    const lines = await loadMessagesSince(db, CONVERSATION, -Infinity);
    expect(lines.at(-1)?.content).toEqual({ type: 'system', change: { type: 'kicked', userId, by: BOB } });
    expect(lines.at(-1)?.from).toBe(BOB);
  });

  test('another member leaving keeps membership', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, inboxGroupStart(userId));

    await applyInboxEvents(db, userId, [groupChangeEvent(4, { type: 'left', userId: CAROL }, 4)]);

    expect((await getConversation(db, CONVERSATION))?.group?.state).toBe('member');
  });

  test('dissolution marks group dissolved', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, inboxGroupStart(userId));

    await applyInboxEvents(db, userId, [groupChangeEvent(4, { type: 'dissolved', by: BOB }, 4)]);

    expect((await getConversation(db, CONVERSATION))?.group?.state).toBe('dissolved');
    expect((await getStoredGroup(db, GROUP))?.state).toBe('dissolved');
  });

  test('rejoin makes group member again', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, [...inboxGroupStart(userId), groupChangeEvent(4, { type: 'left', userId }, 4)]);

    await applyInboxEvents(db, userId, [groupChangeEvent(5, { type: 'joined', userId, delivery: 'inbox' }, 9)]);

    expect((await getConversation(db, CONVERSATION))?.group?.state).toBe('member');
  });

  test('rename updates conversation name', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, inboxGroupStart(userId));

    await applyInboxEvents(db, userId, [groupChangeEvent(4, { type: 'info_changed', by: BOB, fields: { name: 'Climbers' } }, 4)]);

    expect((await getConversation(db, CONVERSATION))?.group?.name).toBe('Climbers');
  });

  test('rejected application adds no conversation', async () => {
    const { db, userId } = await openFreshDb();

    await applyInboxEvents(db, userId, [
      groupChangeEvent(1, { type: 'application_result', applicationId: 'app-1', approved: false, by: BOB }),
    ]);

    expect(await getConversation(db, CONVERSATION)).toBeUndefined();
    expect(await db.count('messages')).toBe(0);
    expect(await readLastSeq(db)).toBe(1);
    const notices = await listGroupNotices(db, GROUP);
    expect(notices.map((notice) => notice.change.type)).toEqual(['application_result']);
  });

  test('failed group page leaves nothing behind', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, inboxGroupStart(userId));
    const broken = { kind: 'group.message', seq: 5, ts: 0, groupId: GROUP, message: undefined } as unknown as InboxEvent;

    await expect(applyInboxEvents(db, userId, [groupMessageEvent(4, groupMessage(4, BOB)), broken])).rejects.toThrow();

    expect(await readLastSeq(db)).toBe(3);
    expect(await db.count('messages')).toBe(3);
    expect((await getStoredGroup(db, GROUP))?.lastGroupSeq).toBe(3);
  });

  test('reading group clears unread', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, inboxGroupStart(userId));

    const result = await markConversationRead(db, userId, CONVERSATION);

    expect(result.changed).toBe(true);
    expect(result.marker).toEqual({ conversationId: CONVERSATION, readSeq: 3 });
    expect((await getConversation(db, CONVERSATION))?.unread).toBe(0);
  });
});

describe('pull group pages', () => {
  async function pullMember() {
    const fresh = await openFreshDb();
    await applyInboxEvents(fresh.db, fresh.userId, [
      groupChangeEvent(1, { type: 'joined', userId: fresh.userId, by: BOB, delivery: 'pull' }, 7),
    ]);
    return fresh;
  }

  test('joined marker makes pull group', async () => {
    const { db } = await pullMember();

    const group = await getStoredGroup(db, GROUP);

    expect(group?.delivery).toBe('pull');
    expect(group?.state).toBe('member');
    expect(group?.lastGroupSeq).toBe(0);
  });

  test('page moves lastGroupSeq', async () => {
    const { db, userId } = await pullMember();

    const result = await applyGroupPage(db, userId, GROUP, [
      changeEntry(7, { type: 'joined', userId, by: BOB, delivery: 'pull' }),
      messageEntry(groupMessage(8, BOB)),
      messageEntry(groupMessage(9, CAROL)),
    ]);

    expect(result).toEqual({ groupId: GROUP, lastGroupSeq: 9, applied: 3 });
    expect((await getStoredGroup(db, GROUP))?.lastGroupSeq).toBe(9);
    expect(await db.count('messages')).toBe(3);
    const conversation = await getConversation(db, CONVERSATION);
    expect(conversation?.unread).toBe(2);
  });

  test('overlapping page stores new entries', async () => {
    const { db, userId } = await pullMember();
    await applyGroupPage(db, userId, GROUP, [messageEntry(groupMessage(8, BOB)), messageEntry(groupMessage(9, CAROL))]);

    const result = await applyGroupPage(db, userId, GROUP, [
      messageEntry(groupMessage(9, CAROL)),
      messageEntry(groupMessage(10, BOB)),
    ]);

    expect(result.applied).toBe(1);
    expect(result.lastGroupSeq).toBe(10);
    const shown = await loadMessagesSince(db, CONVERSATION, -Infinity);
    expect(shown.map((message) => message.groupSeq)).toEqual([7, 8, 9, 10]);
  });

  test('inbox kick leaves lastGroupSeq', async () => {
    const { db, userId } = await pullMember();

    await applyInboxEvents(db, userId, [groupChangeEvent(2, { type: 'kicked', userId, by: BOB }, 40)]);

    const group = await getStoredGroup(db, GROUP);
    expect(group?.lastGroupSeq).toBe(0);
    expect(group?.state).toBe('removed');
  });

  test('reading pull group clears unread', async () => {
    const { db, userId } = await pullMember();
    await applyGroupPage(db, userId, GROUP, [messageEntry(groupMessage(8, BOB))]);

    const result = await markConversationRead(db, userId, CONVERSATION);

    expect(result.changed).toBe(true);
    expect((await getConversation(db, CONVERSATION))?.unread).toBe(0);
  });
});

describe('group sends', () => {
  async function queued(userId: string, db: Awaited<ReturnType<typeof openFreshDb>>['db']) {
    return queueGroupMessage(db, { cid: 'cid-group-0001', from: userId, groupId: GROUP, text: 'hello all', encryption: 'transport', createdAt: 1_000 });
  }

  test('queued message pending in outbox', async () => {
    const { db, userId } = await openFreshDb();

    await queued(userId, db);

    const [entry] = await listOutbox(db);
    expect(entry?.groupId).toBe(GROUP);
    expect(entry?.groupEncryption).toBe('transport');
    const [pending] = await loadMessagesSince(db, CONVERSATION, -Infinity);
    expect(pending?.status).toBe('pending');
    expect((await getConversation(db, CONVERSATION))?.lastMessage?.status).toBe('pending');
  });

  test('R3 ack replaces pending copy', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, inboxGroupStart(userId));
    await queued(userId, db);

    const result = await applyGroupAck(db, { type: 'group.ack', cid: 'cid-group-0001', groupId: GROUP, messageId: 'gm-own', groupSeq: 4, ts: 9_000 });

    expect(result).toEqual({ groupId: GROUP, behind: false, delivery: 'inbox' });
    expect(await listOutbox(db)).toEqual([]);
    const stored = await db.get('messages', 'gm-own');
    expect(stored?.status).toBe('sent');
    expect(stored?.groupSeq).toBe(4);
    expect(await db.get('messages', 'cid-group-0001')).toBeUndefined();
    expect((await getStoredGroup(db, GROUP))?.lastGroupSeq).toBe(4);
  });

  test('ack past a gap reports behind', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, [groupChangeEvent(1, { type: 'joined', userId, delivery: 'pull' }, 7)]);
    await queued(userId, db);

    const result = await applyGroupAck(db, { type: 'group.ack', cid: 'cid-group-0001', groupId: GROUP, messageId: 'gm-own', groupSeq: 12, ts: 9_000 });

    expect(result).toEqual({ groupId: GROUP, behind: true, delivery: 'pull' });
    expect((await getStoredGroup(db, GROUP))?.lastGroupSeq).toBe(0);
  });

  test('R1 own inbox copy replaces pending', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, inboxGroupStart(userId));
    await queued(userId, db);

    const own = groupMessage(4, userId, { cid: 'cid-group-0001', text: 'hello all' });
    await applyInboxEvents(db, userId, [groupMessageEvent(4, own)]);
    await applyGroupAck(db, { type: 'group.ack', cid: 'cid-group-0001', groupId: GROUP, messageId: own.id, groupSeq: 4, ts: own.ts });

    const shown = await loadMessagesSince(db, CONVERSATION, -Infinity);
    expect(shown.filter((message) => message.cid === 'cid-group-0001')).toHaveLength(1);
    expect(await listOutbox(db)).toEqual([]);
    expect((await getConversation(db, CONVERSATION))?.unread).toBe(1);
  });
});

describe('group info', () => {
  test('info without role marks removed', async () => {
    const { db, userId } = await openFreshDb();
    await applyInboxEvents(db, userId, inboxGroupStart(userId));

    await saveGroupInfo(db, groupInfo({ myRole: null, name: 'Renamed' }), 5_000);

    const conversation = await getConversation(db, CONVERSATION);
    expect(conversation?.group).toEqual({ groupId: GROUP, name: 'Renamed', state: 'removed', avatarKey: null });
    expect((await getStoredGroup(db, GROUP))?.info?.name).toBe('Renamed');
  });
});

function groupInfo(overrides: Partial<import('../../protocol/groups').GroupInfo>): import('../../protocol/groups').GroupInfo {
  return {
    id: GROUP,
    name: 'Hikers',
    avatarKey: null,
    introduction: '',
    notice: '',
    joinPolicy: 'approval',
    membersCanInvite: true,
    historyVisible: false,
    memberLimit: 500,
    memberCount: 3,
    ownerId: BOB,
    createdAt: 1_000,
    delivery: 'pull',
    encryption: 'transport',
    myRole: 'member',
    myApplicationId: null,
    ...overrides,
  };
}
