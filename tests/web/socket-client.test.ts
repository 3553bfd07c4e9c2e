import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  CLOSE_SESSION_REVOKED,
  CLOSE_UNAUTHORIZED,
  PING_FRAME,
  PONG_FRAME,
  PROTOCOL_SUBPROTOCOL,
  directConversationId,
} from '../../protocol/frames';
import { BACKOFF_BASE_MS } from '../../web/app/net/backoff';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS } from '../../web/app/net/heartbeat';
import { WELCOME_TIMEOUT_MS } from '../../web/app/net/connection';
import { SEND_RETRY_DELAY_MS } from '../../web/app/net/outbox-flush';
import { applyInboxEvents } from '../../web/app/store/apply-events';
import { getConversation, markConversationRead } from '../../web/app/store/conversations';
import { readLastSeq } from '../../web/app/store/db';
import { listOutbox } from '../../web/app/store/outbox';
import { BOB, FakeLocks, FakeNetwork, drain, messageEvent, readEvent, until } from './helpers';
import { connectCaughtUp, createHarness, queueToBob, reconnectCaughtUp } from './socket-harness';

beforeEach(() => {
  // IndexedDB (fake-indexeddb) schedules its work with setImmediate, which stays real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});

afterEach(() => {
  vi.useRealTimers();
});


describe('connecting and syncing', () => {
  test('offers protocol and bearer subprotocols', async () => {
    const harness = await createHarness();
    await harness.start();

    expect(harness.socket().url).toBe('ws://127.0.0.1:8787/ws');
    expect(harness.socket().protocols).toEqual([PROTOCOL_SUBPROTOCOL, 'bearer.token-abc']);
    expect(harness.client.state).toBe('connecting');
    harness.client.stop();
  });

  test('R2 syncs pages after stored seq', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    await applyInboxEvents(db, userId, [1, 2].map((seq) => messageEvent(seq, { from: BOB, to: userId })));

    await harness.start();
    harness.welcome(5);
    await harness.sentCount('sync', 1);
    expect(harness.socket().framesOfType('sync')[0]).toEqual({ type: 'sync', after: 2 });

    const firstPage = [3, 4].map((seq) => messageEvent(seq, { from: BOB, to: userId }));
    harness.socket().serverSends({ type: 'sync.page', events: firstPage, hasMore: true, headSeq: 5 });
    await harness.sentCount('sync', 2);
    expect(harness.socket().framesOfType('sync')[1]).toEqual({ type: 'sync', after: 4 });
    expect(harness.client.state).toBe('connecting');

    harness.socket().serverSends({ type: 'sync.page', events: [messageEvent(5, { from: BOB, to: userId })], hasMore: false, headSeq: 5 });
    await until('client online', () => harness.client.state === 'online');

    expect(await readLastSeq(db)).toBe(5);
    expect(await db.count('messages')).toBe(5);
    expect(harness.socket().framesOfType('sync')).toHaveLength(2);
    harness.client.stop();
  });

  test('welcome for another user signs out', async () => {
    const harness = await createHarness();
    await harness.start();

    harness.socket().serverSends({ type: 'welcome', v: 1, userId: 'someone-else', sessionId: 's', headSeq: 0 });
    await until('unauthorized reported', () => harness.unauthorized === 1);

    expect(harness.socket().framesOfType('sync')).toEqual([]);
    expect(harness.client.state).toBe('offline');
  });

  test('malformed frame keeps socket open', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);

    harness.socket().serverSendsRaw('{not json');
    harness.socket().serverSendsRaw('{"type":"event","event":{"kind":"nope"}}');
    await drain();

    expect(harness.socket().closedWith).toBeNull();
    expect(harness.client.state).toBe('online');
    harness.client.stop();
  });
});

describe('live events', () => {
  test('R2 next live event applies', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);

    harness.socket().serverSends({ type: 'event', event: messageEvent(1, { from: BOB, to: harness.userId }) });
    await until('event stored', async () => (await readLastSeq(harness.db)) === 1);

    expect(harness.socket().framesOfType('sync')).toHaveLength(1);
    harness.client.stop();
  });

  test('R2 repeated live event ignored', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);
    const event = messageEvent(1, { from: BOB, to: harness.userId });

    harness.socket().serverSends({ type: 'event', event });
    harness.socket().serverSends({ type: 'event', event });
    await until('event stored', async () => (await readLastSeq(harness.db)) === 1);
    await drain();

    expect(await harness.db.count('messages')).toBe(1);
    const conversation = await getConversation(harness.db, directConversationId(harness.userId, BOB));
    expect(conversation?.unread).toBe(1);
    harness.client.stop();
  });

  test('R2 gap in live events syncs', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);
    const { userId } = harness;

    harness.socket().serverSends({ type: 'event', event: messageEvent(3, { from: BOB, to: userId }) });
    await harness.sentCount('sync', 2);
    expect(harness.socket().framesOfType('sync')[1]).toEqual({ type: 'sync', after: 0 });
    expect(await readLastSeq(harness.db)).toBe(0);

    const missing = [1, 2, 3].map((seq) => messageEvent(seq, { from: BOB, to: userId }));
    harness.socket().serverSends({ type: 'sync.page', events: missing, hasMore: false, headSeq: 3 });
    await until('gap filled', async () => (await readLastSeq(harness.db)) === 3);
    expect(await harness.db.count('messages')).toBe(3);
    harness.client.stop();
  });

  test('gap during sync syncs again', async () => {
    const harness = await createHarness();
    const { userId } = harness;
    await harness.start();
    harness.welcome();
    await harness.sentCount('sync', 1);

    harness.socket().serverSends({ type: 'event', event: messageEvent(4, { from: BOB, to: userId }) });
    const page = [1, 2].map((seq) => messageEvent(seq, { from: BOB, to: userId }));
    harness.socket().serverSends({ type: 'sync.page', events: page, hasMore: false, headSeq: 2 });
    await harness.sentCount('sync', 2);

    expect(harness.socket().framesOfType('sync')[1]).toEqual({ type: 'sync', after: 2 });
    expect(harness.client.state).toBe('connecting');
    harness.client.stop();
  });

  test('read event from other device clears unread', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);
    const { userId } = harness;
    const conversationId = directConversationId(userId, BOB);

    harness.socket().serverSends({ type: 'event', event: messageEvent(1, { from: BOB, to: userId }) });
    harness.socket().serverSends({ type: 'event', event: readEvent(2, conversationId, 1) });
    await until('read applied', async () => (await readLastSeq(harness.db)) === 2);

    expect((await getConversation(harness.db, conversationId))?.unread).toBe(0);
    harness.client.stop();
  });
});

describe('outbox', () => {
  test('R3 outbox flushes in order after sync', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    await queueToBob(db, userId, 'cid-0000001');
    await queueToBob(db, userId, 'cid-0000002');

    await harness.start();
    harness.welcome();
    await harness.sentCount('sync', 1);
    expect(harness.socket().framesOfType('send')).toEqual([]);

    harness.socket().serverSends({ type: 'sync.page', events: [], hasMore: false, headSeq: 0 });
    await harness.sentCount('sends', 1);
    const sends = harness.socket().framesOfType('sends')[0]?.sends ?? [];
    expect(sends.map((frame) => frame.cid)).toEqual(['cid-0000001', 'cid-0000002']);
    const first = sends[0];
    expect(first?.to).toBe(BOB);
    expect(first?.content.type).toBe('e2e');
    expect(JSON.stringify(first)).not.toContain('text of cid-0000001');

    const conversationId = directConversationId(userId, BOB);
    harness.socket().serverSends({ type: 'ack', cid: 'cid-0000001', messageId: 'm-1', conversationId, seq: 1, ts: 10 });
    harness.socket().serverSends({ type: 'ack', cid: 'cid-0000002', messageId: 'm-2', conversationId, seq: 2, ts: 11 });
    await until('outbox empty', async () => (await listOutbox(db)).length === 0);

    expect((await db.get('messages', 'm-1'))?.status).toBe('sent');
    expect((await db.get('messages', 'm-2'))?.status).toBe('sent');
    expect(await readLastSeq(db)).toBe(2);
    harness.client.stop();
  });

  test('R1 resend after reconnect keeps cid', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    await queueToBob(db, userId, 'cid-keep-01');
    await connectCaughtUp(harness);
    await harness.sentCount('send', 1);

    await reconnectCaughtUp(harness);
    expect(harness.sockets).toHaveLength(2);
    await harness.sentCount('send', 1);

    expect(harness.sockets[0]?.framesOfType('send')[0]?.cid).toBe('cid-keep-01');
    expect(harness.sockets[1]?.framesOfType('send')[0]?.cid).toBe('cid-keep-01');
    harness.client.stop();
  });

  test('limit error marks message failed', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    await queueToBob(db, userId, 'cid-too-long');
    await connectCaughtUp(harness);
    await harness.sentCount('send', 1);

    harness.socket().serverSends({
      type: 'error',
      code: 'text_too_long',
      message: 'text is 5000 bytes; the limit is 4096',
      cid: 'cid-too-long',
      limit: 4096,
      value: 5000,
    });
    await until('message failed', async () => (await db.get('messages', 'cid-too-long'))?.status === 'failed');

    expect((await db.get('messages', 'cid-too-long'))?.failure).toEqual({ code: 'text_too_long', limit: 4096, value: 5000 });
    expect(await listOutbox(db)).toEqual([]);
    harness.client.stop();
  });

  test('internal error keeps message pending', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    await queueToBob(db, userId, 'cid-retry-1');
    await connectCaughtUp(harness);
    await harness.sentCount('send', 1);

    harness.socket().serverSends({ type: 'error', code: 'internal', message: 'storage failed', cid: 'cid-retry-1' });
    await drain();
    expect((await db.get('messages', 'cid-retry-1'))?.status).toBe('pending');
    expect(await listOutbox(db)).toHaveLength(1);

    vi.advanceTimersByTime(SEND_RETRY_DELAY_MS);
    await harness.sentCount('send', 2);
    expect(harness.socket().framesOfType('send').map((frame) => frame.cid)).toEqual(['cid-retry-1', 'cid-retry-1']);
    harness.client.stop();
  });

  test('ack past next seq syncs', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    await queueToBob(db, userId, 'cid-gap-001');
    await connectCaughtUp(harness);
    await harness.sentCount('send', 1);

    const conversationId = directConversationId(userId, BOB);
    harness.socket().serverSends({ type: 'ack', cid: 'cid-gap-001', messageId: 'm-2', conversationId, seq: 2, ts: 10 });
    await harness.sentCount('sync', 2);

    expect(harness.socket().framesOfType('sync')[1]).toEqual({ type: 'sync', after: 0 });
    harness.client.stop();
  });

  test('two tabs send pending once', async () => {
    const locks = new FakeLocks();
    const first = await createHarness({ withLock: locks.run });
    const second = await createHarness({ db: first.db, userId: first.userId, withLock: locks.run, keys: first.keys });
    await queueToBob(first.db, first.userId, 'cid-shared1');

    await connectCaughtUp(first);
    await connectCaughtUp(second);
    await first.sentCount('send', 1);

    const conversationId = directConversationId(first.userId, BOB);
    first.socket().serverSends({ type: 'ack', cid: 'cid-shared1', messageId: 'm-1', conversationId, seq: 1, ts: 10 });
    await until('outbox empty', async () => (await listOutbox(first.db)).length === 0);
    await drain();

    const sends = [...first.socket().framesOfType('send'), ...second.socket().framesOfType('send')];
    expect(sends).toHaveLength(1);
    first.client.stop();
    second.client.stop();
  });

  test('unsent read marker sent after sync', async () => {
    const harness = await createHarness();
    const { db, userId } = harness;
    const conversationId = directConversationId(userId, BOB);
    await applyInboxEvents(db, userId, [messageEvent(1, { from: BOB, to: userId })]);
    await markConversationRead(db, userId, conversationId);

    await connectCaughtUp(harness);
    await harness.sentCount('read', 1);

    expect(harness.socket().framesOfType('read')).toEqual([{ type: 'read', conversationId, readSeq: 1 }]);
    await until('marker stored as sent', async () => (await getConversation(db, conversationId))?.sentReadSeq === 1);
    harness.client.stop();
  });
});

describe('reconnecting', () => {
  test('dropped socket reconnects with backoff', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);

    harness.socket().serverCloses(1006);
    await until('offline after close', () => harness.client.state === 'offline');
    vi.advanceTimersByTime(BACKOFF_BASE_MS - 1);
    expect(harness.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(harness.sockets).toHaveLength(2);

    harness.socket().serverCloses(1006);
    await until('offline again', () => harness.client.state === 'offline');
    vi.advanceTimersByTime(BACKOFF_BASE_MS * 2 - 1);
    expect(harness.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(harness.sockets).toHaveLength(3);
    harness.client.stop();
  });

  test('welcome resets backoff', async () => {
    const harness = await createHarness();
    await harness.start();
    harness.socket().serverCloses(1006);
    await until('offline', () => harness.client.state === 'offline');
    vi.advanceTimersByTime(BACKOFF_BASE_MS);
    harness.socket().serverCloses(1006);
    await until('offline', () => harness.client.state === 'offline');
    vi.advanceTimersByTime(BACKOFF_BASE_MS * 2);
    expect(harness.sockets).toHaveLength(3);

    harness.welcome();
    await harness.sentCount('sync', 1);
    harness.socket().serverCloses(1006);
    await until('offline', () => harness.client.state === 'offline');
    vi.advanceTimersByTime(BACKOFF_BASE_MS);

    expect(harness.sockets).toHaveLength(4);
    harness.client.stop();
  });

  test('silent server fails heartbeat', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);

    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    expect(harness.socket().sent.at(-1)).toBe(PING_FRAME);
    vi.advanceTimersByTime(HEARTBEAT_TIMEOUT_MS);

    expect(harness.sockets[0]?.closedWith).not.toBeNull();
    expect(harness.client.state).toBe('offline');
    vi.advanceTimersByTime(BACKOFF_BASE_MS);
    expect(harness.sockets).toHaveLength(2);
    harness.client.stop();
  });

  test('pong keeps socket alive', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);

    for (let round = 0; round < 3; round++) {
      vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
      harness.socket().serverSendsRaw(PONG_FRAME);
    }
    vi.advanceTimersByTime(HEARTBEAT_TIMEOUT_MS);

    expect(harness.socket().closedWith).toBeNull();
    expect(harness.sockets).toHaveLength(1);
    expect(harness.client.state).toBe('online');
    harness.client.stop();
  });

  test('missing welcome times out', async () => {
    const harness = await createHarness();
    await harness.start();

    vi.advanceTimersByTime(WELCOME_TIMEOUT_MS);

    expect(harness.sockets[0]?.closedWith).not.toBeNull();
    vi.advanceTimersByTime(BACKOFF_BASE_MS);
    expect(harness.sockets).toHaveLength(2);
    harness.client.stop();
  });

  test('offline event closes until online', async () => {
    const network = new FakeNetwork();
    const harness = await createHarness({ network });
    await connectCaughtUp(harness);

    network.goOffline();
    expect(harness.sockets[0]?.closedWith).not.toBeNull();
    expect(harness.client.state).toBe('offline');
    vi.advanceTimersByTime(BACKOFF_BASE_MS * 100);
    expect(harness.sockets).toHaveLength(1);

    network.goOnline();
    expect(harness.sockets).toHaveLength(2);
    expect(harness.client.state).toBe('connecting');
    harness.client.stop();
  });

  test('start while offline waits', async () => {
    const network = new FakeNetwork();
    network.online = false;
    const harness = await createHarness({ network });

    await harness.start();
    expect(harness.sockets).toHaveLength(0);
    expect(harness.client.state).toBe('offline');

    network.goOnline();
    // The first connection registers the device before it opens a socket.
    await until('socket opened', () => harness.sockets.length === 1);
    expect(harness.client.state).toBe('connecting');
    harness.client.stop();
  });
});

describe('R5 revoked sessions', () => {
  test('kicked frame stops client', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);

    harness.socket().serverSends({ type: 'kicked', reason: 'signed_in_elsewhere' });
    harness.socket().serverCloses(CLOSE_SESSION_REVOKED, 'signed in elsewhere');
    await until('kick reported', () => harness.kicks.length === 1);
    await drain();
    vi.advanceTimersByTime(BACKOFF_BASE_MS * 100);

    expect(harness.kicks).toEqual(['signed_in_elsewhere']);
    expect(harness.unauthorized).toBe(0);
    expect(harness.sockets).toHaveLength(1);
    expect(harness.client.state).toBe('offline');
  });

  test('unauthorized close stops client', async () => {
    const harness = await createHarness();
    await harness.start();

    harness.socket().serverSends({ type: 'error', code: 'unauthorized', message: 'unknown token' });
    harness.socket().serverCloses(CLOSE_UNAUTHORIZED, 'unauthorized');
    await until('unauthorized reported', () => harness.unauthorized === 1);
    await drain();
    vi.advanceTimersByTime(BACKOFF_BASE_MS * 100);

    expect(harness.unauthorized).toBe(1);
    expect(harness.sockets).toHaveLength(1);
  });

  test('revoked close without frame signs out', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);

    harness.socket().serverCloses(CLOSE_SESSION_REVOKED, 'revoked');
    await until('unauthorized reported', () => harness.unauthorized === 1);
    vi.advanceTimersByTime(BACKOFF_BASE_MS * 100);

    expect(harness.sockets).toHaveLength(1);
  });

  test('frames after kick are dropped', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);

    harness.socket().serverSends({ type: 'kicked', reason: 'signed_out' });
    harness.socket().serverSends({ type: 'event', event: messageEvent(1, { from: BOB, to: harness.userId }) });
    await until('kick reported', () => harness.kicks.length === 1);
    await drain();

    expect(await readLastSeq(harness.db)).toBe(0);
    expect(harness.kicks).toEqual(['signed_out']);
  });
});
