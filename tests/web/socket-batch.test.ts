// Server `batch` frames through the real socket client and store: the inner
// acks, errors and events apply in the order given, as if each had arrived
// alone, and a batch that fails its schema is ignored as a whole.

import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { directConversationId, type ServerFrame } from '../../protocol/frames';
import { readLastSeq } from '../../web/app/store/db';
import { listOutbox } from '../../web/app/store/outbox';
import { BOB, drain, messageEvent, until } from './helpers';
import { connectCaughtUp, createHarness, queueToBob, type Harness } from './socket-harness';

beforeEach(() => {
  // IndexedDB (fake-indexeddb) schedules its work with setImmediate, which stays real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});

afterEach(() => {
  vi.useRealTimers();
});


/** Queues two messages, connects, and waits until the client sent both in one `sends` frame. */
async function twoMessagesSent(harness: Harness): Promise<void> {
  await queueToBob(harness.db, harness.userId, 'cid-batch-01');
  await queueToBob(harness.db, harness.userId, 'cid-batch-02');
  await connectCaughtUp(harness);
  await harness.sentCount('sends', 1);
}

function ackOf(harness: Harness, cid: string, seq: number): Extract<ServerFrame, { type: 'ack' }> {
  return { type: 'ack', cid, messageId: `m-${cid}`, conversationId: directConversationId(harness.userId, BOB), seq, ts: 10 + seq };
}

describe('server batch frames', () => {
  test('batch applies ack, event, error in order', async () => {
    const harness = await createHarness();
    await twoMessagesSent(harness);
    const { db, userId } = harness;

    // Handled out of order, the event (seq 2) would arrive before the ack (seq 1) and start a gap sync.
    harness.socket().serverSends({
      type: 'batch',
      frames: [
        ackOf(harness, 'cid-batch-01', 1),
        { type: 'event', event: messageEvent(2, { from: BOB, to: userId }) },
        { type: 'error', code: 'not_allowed', message: 'blocked', cid: 'cid-batch-02' },
      ],
    });
    await until('error applied', async () => (await db.get('messages', 'cid-batch-02'))?.status === 'failed');
    await drain();

    expect((await db.get('messages', 'm-cid-batch-01'))?.status).toBe('sent');
    expect(await db.get('messages', `m-${BOB}-2`)).toBeDefined();
    expect((await db.get('messages', 'cid-batch-02'))?.failure).toEqual({ code: 'not_allowed' });
    expect(await readLastSeq(db)).toBe(2);
    expect(harness.socket().framesOfType('sync')).toHaveLength(1);
    expect(await listOutbox(db)).toEqual([]);
    harness.client.stop();
  });

  test('batched acks settle each send', async () => {
    const harness = await createHarness();
    await twoMessagesSent(harness);

    harness.socket().serverSends({ type: 'batch', frames: [ackOf(harness, 'cid-batch-01', 1), ackOf(harness, 'cid-batch-02', 2)] });
    await until('outbox empty', async () => (await listOutbox(harness.db)).length === 0);
    await drain();

    expect(await readLastSeq(harness.db)).toBe(2);
    expect(harness.socket().framesOfType('sends')).toHaveLength(1);
    expect(harness.socket().framesOfType('send')).toEqual([]);
    harness.client.stop();
  });

  test('invalid inner frame rejects whole batch', async () => {
    const harness = await createHarness();
    await twoMessagesSent(harness);
    const valid = ackOf(harness, 'cid-batch-01', 1);

    harness.socket().serverSendsRaw(JSON.stringify({ type: 'batch', frames: [valid, { type: 'event', event: { kind: 'nope' } }] }));
    await drain();

    expect(harness.socket().closedWith).toBeNull();
    expect(harness.client.state).toBe('online');
    expect(await readLastSeq(harness.db)).toBe(0);
    expect(await listOutbox(harness.db)).toHaveLength(2);
    expect((await harness.db.get('messages', 'cid-batch-01'))?.status).toBe('pending');
    harness.client.stop();
  });

  test('batch rejects frames it may not carry', async () => {
    const harness = await createHarness();
    await twoMessagesSent(harness);
    const valid = ackOf(harness, 'cid-batch-01', 1);
    const invalid = [
      { type: 'batch', frames: [] },
      { type: 'batch', frames: [valid, { type: 'kicked', reason: 'signed_out' }] },
      { type: 'batch', frames: [valid, { type: 'sync.page', events: [], hasMore: false, headSeq: 0 }] },
      { type: 'batch', frames: [valid, { type: 'batch', frames: [valid] }] },
    ];

    for (const frame of invalid) harness.socket().serverSendsRaw(JSON.stringify(frame));
    await drain();

    expect(harness.kicks).toEqual([]);
    expect(harness.socket().closedWith).toBeNull();
    expect(harness.client.state).toBe('online');
    expect(await readLastSeq(harness.db)).toBe(0);
    expect(await listOutbox(harness.db)).toHaveLength(2);
    harness.client.stop();
  });

  test('batched event gap starts sync', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);
    const { userId } = harness;

    harness.socket().serverSends({
      type: 'batch',
      frames: [
        { type: 'event', event: messageEvent(1, { from: BOB, to: userId }) },
        { type: 'event', event: messageEvent(3, { from: BOB, to: userId }) },
      ],
    });
    await harness.sentCount('sync', 2);

    expect(harness.socket().framesOfType('sync')[1]).toEqual({ type: 'sync', after: 1 });
    expect(await readLastSeq(harness.db)).toBe(1);
    harness.client.stop();
  });
});
