import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { GROUP_SYNC_PAGE_MAX } from '../../protocol/limits';
import { applyInboxEvents } from '../../web/app/store/apply-events';
import { getConversation } from '../../web/app/store/conversations';
import { groupConversationId } from '../../web/app/store/group-records';
import { getStoredGroup, queueGroupMessage } from '../../web/app/store/groups';
import { loadMessagesSince } from '../../web/app/store/messages';
import { listOutbox } from '../../web/app/store/outbox';
import { BOB, drain, until } from './helpers';
import { CAROL, GROUP, changeEntry, groupChangeEvent, groupMessage, groupMessageEvent, messageEntry } from './group-helpers';
import { connectCaughtUp, createHarness, reconnectCaughtUp, type Harness } from './socket-harness';

const CONVERSATION = groupConversationId(GROUP);

beforeEach(() => {
  // IndexedDB (fake-indexeddb) schedules its work with setImmediate, which stays real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});

afterEach(() => {
  vi.useRealTimers();
});

function queueToGroup(harness: Harness, cid: string, text = `text of ${cid}`) {
  return queueGroupMessage(harness.db, { cid, from: harness.userId, groupId: GROUP, text, encryption: 'transport', createdAt: 1_000 });
}

async function joinPullGroup(harness: Harness): Promise<void> {
  await applyInboxEvents(harness.db, harness.userId, [
    groupChangeEvent(1, { type: 'joined', userId: harness.userId, by: BOB, delivery: 'pull' }, 7),
  ]);
}

describe('group sends', () => {
  test('R3 group send pending until ack', async () => {
    const harness = await createHarness();
    await queueToGroup(harness, 'cid-group-0001', 'hello group');

    await connectCaughtUp(harness);
    await harness.sentCount('group.send', 1);

    expect(harness.socket().framesOfType('group.send')).toEqual([
      { type: 'group.send', cid: 'cid-group-0001', groupId: GROUP, content: { type: 'text', text: 'hello group' } },
    ]);
    expect((await listOutbox(harness.db)).length).toBe(1);

    harness.socket().serverSends({ type: 'group.ack', cid: 'cid-group-0001', groupId: GROUP, messageId: 'gm-1', groupSeq: 1, ts: 2_000 });
    await until('outbox empty', async () => (await listOutbox(harness.db)).length === 0);
    const [sent] = await loadMessagesSince(harness.db, CONVERSATION, -Infinity);
    expect(sent?.status).toBe('sent');
    expect(sent?.id).toBe('gm-1');
    harness.client.stop();
  });

  test('R3 group send repeated after reconnect', async () => {
    const harness = await createHarness();
    await queueToGroup(harness, 'cid-group-0002');
    await connectCaughtUp(harness);
    await harness.sentCount('group.send', 1);

    await reconnectCaughtUp(harness);
    expect(harness.sockets).toHaveLength(2);
    await harness.sentCount('group.send', 1);

    expect(harness.sockets[0]?.framesOfType('group.send')[0]?.cid).toBe('cid-group-0002');
    expect(harness.sockets[1]?.framesOfType('group.send')[0]?.cid).toBe('cid-group-0002');
    harness.client.stop();
  });

  test.each(['not_a_member', 'not_found', 'text_too_long'] as const)('group send fails on %s', async (code) => {
    const harness = await createHarness();
    await queueToGroup(harness, 'cid-group-0003');
    await connectCaughtUp(harness);
    await harness.sentCount('group.send', 1);

    harness.socket().serverSends({ type: 'error', code, message: 'refused', cid: 'cid-group-0003' });
    await until('message failed', async () => (await loadMessagesSince(harness.db, CONVERSATION, -Infinity))[0]?.status === 'failed');

    const [failed] = await loadMessagesSince(harness.db, CONVERSATION, -Infinity);
    expect(failed?.failure?.code).toBe(code);
    expect(await listOutbox(harness.db)).toEqual([]);
    harness.client.stop();
  });
});

describe('inbox group events', () => {
  test('R2 offline group events synced', async () => {
    const harness = await createHarness();
    const { userId } = harness;
    await harness.start();
    harness.welcome(3);
    await harness.sentCount('sync', 1);

    const events = [
      groupChangeEvent(1, { type: 'joined', userId, by: BOB, delivery: 'inbox' }, 2),
      groupMessageEvent(2, groupMessage(3, BOB, { text: 'while you were away' })),
      groupMessageEvent(3, groupMessage(4, CAROL)),
    ];
    harness.socket().serverSends({ type: 'sync.page', events, hasMore: false, headSeq: 3 });
    await until('client online', () => harness.client.state === 'online');

    const shown = await loadMessagesSince(harness.db, CONVERSATION, -Infinity);
    expect(shown.map((message) => message.groupSeq)).toEqual([2, 3, 4]);
    expect((await getConversation(harness.db, CONVERSATION))?.unread).toBe(2);
    harness.client.stop();
  });

  test('R2 live group message once', async () => {
    const harness = await createHarness();
    const { userId } = harness;
    await applyInboxEvents(harness.db, userId, [groupChangeEvent(1, { type: 'joined', userId, by: BOB, delivery: 'inbox' }, 2)]);
    await connectCaughtUp(harness, 1);
    const live = groupMessageEvent(2, groupMessage(3, BOB, { text: 'live' }));

    harness.socket().serverSends({ type: 'event', event: live });
    harness.socket().serverSends({ type: 'event', event: live });
    await until('message stored', async () => (await loadMessagesSince(harness.db, CONVERSATION, -Infinity)).length === 2);
    await drain();

    const shown = await loadMessagesSince(harness.db, CONVERSATION, -Infinity);
    expect(shown.map((message) => message.groupSeq)).toEqual([2, 3]);
    expect((await getConversation(harness.db, CONVERSATION))?.unread).toBe(1);
    expect(harness.socket().framesOfType('group.sync')).toEqual([]);
    harness.client.stop();
  });
});

describe('pull group sync', () => {
  test('pull group read on connect', async () => {
    const harness = await createHarness();
    await joinPullGroup(harness);

    await connectCaughtUp(harness, 1);
    await harness.sentCount('group.sync', 1);

    expect(harness.socket().framesOfType('group.sync')).toEqual([{ type: 'group.sync', groupId: GROUP, after: 0, limit: GROUP_SYNC_PAGE_MAX }]);
    harness.client.stop();
  });

  test('group pages read until last', async () => {
    const harness = await createHarness();
    await joinPullGroup(harness);
    await connectCaughtUp(harness, 1);
    await harness.sentCount('group.sync', 1);

    const firstPage = [changeEntry(7, { type: 'joined', userId: harness.userId, by: BOB, delivery: 'pull' }), messageEntry(groupMessage(8, BOB))];
    harness.socket().serverSends({ type: 'group.page', groupId: GROUP, entries: firstPage, hasMore: true, headSeq: 9 });
    await harness.sentCount('group.sync', 2);
    expect(harness.socket().framesOfType('group.sync')[1]?.after).toBe(8);

    harness.socket().serverSends({ type: 'group.page', groupId: GROUP, entries: [messageEntry(groupMessage(9, CAROL))], hasMore: false, headSeq: 9 });
    await until('lastGroupSeq 9', async () => (await getStoredGroup(harness.db, GROUP))?.lastGroupSeq === 9);

    const shown = await loadMessagesSince(harness.db, CONVERSATION, -Infinity);
    expect(shown.map((message) => message.groupSeq)).toEqual([7, 8, 9]);
    expect(harness.socket().framesOfType('group.sync')).toHaveLength(2);
    harness.client.stop();
  });

  test('opened chat reads group again', async () => {
    const harness = await createHarness();
    await joinPullGroup(harness);
    await connectCaughtUp(harness, 1);
    await harness.sentCount('group.sync', 1);
    harness.socket().serverSends({ type: 'group.page', groupId: GROUP, entries: [messageEntry(groupMessage(8, BOB))], hasMore: false, headSeq: 8 });
    await until('lastGroupSeq 8', async () => (await getStoredGroup(harness.db, GROUP))?.lastGroupSeq === 8);

    await harness.client.syncGroup(GROUP);
    await harness.sentCount('group.sync', 2);

    expect(harness.socket().framesOfType('group.sync')[1]?.after).toBe(8);
    harness.client.stop();
  });

  test('refused sync marks group removed', async () => {
    const harness = await createHarness();
    await joinPullGroup(harness);
    await connectCaughtUp(harness, 1);
    await harness.sentCount('group.sync', 1);

    harness.socket().serverSends({ type: 'error', code: 'not_a_member', message: 'not a member' });
    await until('group removed', async () => (await getStoredGroup(harness.db, GROUP))?.state === 'removed');

    expect((await getConversation(harness.db, CONVERSATION))?.group?.state).toBe('removed');
    harness.client.stop();
  });

  test('refusal naming another group ignored', async () => {
    const harness = await createHarness();
    await joinPullGroup(harness);
    await connectCaughtUp(harness, 1);
    await harness.sentCount('group.sync', 1);

    harness.socket().serverSends({ type: 'error', code: 'not_a_member', message: 'not a member', groupId: 'other-group' });
    harness.socket().serverSends({ type: 'group.page', groupId: GROUP, entries: [messageEntry(groupMessage(8, BOB))], hasMore: false, headSeq: 8 });
    await until('page stored', async () => (await getStoredGroup(harness.db, GROUP))?.lastGroupSeq === 8);

    expect((await getStoredGroup(harness.db, GROUP))?.state).toBe('member');
    harness.client.stop();
  });

  test('sync of missing group marks dissolved', async () => {
    const harness = await createHarness();
    await joinPullGroup(harness);
    await connectCaughtUp(harness, 1);
    await harness.sentCount('group.sync', 1);

    harness.socket().serverSends({ type: 'error', code: 'not_found', message: 'no such group' });
    await until('group dissolved', async () => (await getStoredGroup(harness.db, GROUP))?.state === 'dissolved');
    harness.client.stop();
  });

  test('ack past gap reads pull group', async () => {
    const harness = await createHarness();
    await joinPullGroup(harness);
    await queueToGroup(harness, 'cid-group-0004');
    await connectCaughtUp(harness, 1);
    await harness.sentCount('group.sync', 1);
    harness.socket().serverSends({ type: 'group.page', groupId: GROUP, entries: [], hasMore: false, headSeq: 7 });
    await harness.sentCount('group.send', 1);

    harness.socket().serverSends({ type: 'group.ack', cid: 'cid-group-0004', groupId: GROUP, messageId: 'gm-20', groupSeq: 20, ts: 3_000 });
    await harness.sentCount('group.sync', 2);

    expect(harness.socket().framesOfType('group.sync')[1]?.after).toBe(0);
    harness.client.stop();
  });
});
