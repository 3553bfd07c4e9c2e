import { describe, expect, it } from 'vitest';
import type { InboxEvent } from '../../protocol/frames';
import { SYNC_PAGE_MAX } from '../../protocol/limits';
import { registerUser } from './fixtures/accounts';
import { encryptedContent, markerOf, registerUserWithDevice } from './fixtures/devices';
import { newCid, openSocket, type TestSocket } from './fixtures/sockets';

/** Reads the whole inbox after `after`, page by page, as the PWA does on reconnect. */
async function syncAll(socket: TestSocket, after: number, limit?: number): Promise<{ events: InboxEvent[]; pages: number }> {
  const events: InboxEvent[] = [];
  let cursor = after;
  let pages = 0;
  for (;;) {
    socket.send(limit === undefined ? { type: 'sync', after: cursor } : { type: 'sync', after: cursor, limit });
    const page = await socket.nextFrameOf('sync.page');
    pages++;
    events.push(...page.events);
    if (!page.hasMore) return { events, pages };
    cursor = page.events[page.events.length - 1]!.seq;
  }
}

function markersOf(events: InboxEvent[]): string[] {
  return events.map((event) => (event.kind === 'message' ? markerOf(event.message.content) : ''));
}

describe('sync', () => {
  it('R2 seq order across many sends', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const count = 40;
    const texts = Array.from({ length: count }, (_, i) => `message ${i}`);

    // Sent without waiting for acks, as an outbox flush after reconnect does.
    for (const text of texts) {
      const content = encryptedContent(aliceDevice.deviceId, [bobDevice.deviceId], text);
      socket.send({ type: 'send', cid: newCid(), to: bob.user.id, content });
    }
    const acks = [];
    for (let i = 0; i < count; i++) acks.push(await socket.nextFrameOf('ack'));

    expect(acks.map((ack) => ack.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    const { socket: bobSocket, welcome } = await openSocket(bob.token);
    expect(welcome.headSeq).toBe(count);
    const { events } = await syncAll(bobSocket, 0);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(markersOf(events)).toEqual(texts);
  });

  it('R2 offline delivery in pages', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const texts = ['one', 'two', 'three', 'four', 'five'];
    for (const text of texts) {
      const content = encryptedContent(aliceDevice.deviceId, [bobDevice.deviceId], text);
      socket.send({ type: 'send', cid: newCid(), to: bob.user.id, content });
      await socket.nextFrameOf('ack');
    }

    const { socket: bobSocket } = await openSocket(bob.token);
    const { events, pages } = await syncAll(bobSocket, 0, 2);

    expect(pages).toBe(3);
    expect(markersOf(events)).toEqual(texts);
  });

  it('R2 resumes after the last stored seq', async () => {
    const { user: alice, device } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    for (const text of ['a', 'b', 'c']) {
      socket.send({ type: 'send', cid: newCid(), to: alice.user.id, content: encryptedContent(device.deviceId, [], text) });
      await socket.nextFrameOf('ack');
    }

    socket.send({ type: 'sync', after: 2 });
    const page = await socket.nextFrameOf('sync.page');

    expect(page.events.map((event) => event.seq)).toEqual([3]);
    expect(page.hasMore).toBe(false);
    expect(page.headSeq).toBe(3);
  });

  it('default page holds SYNC_PAGE_MAX events', async () => {
    const { user: alice, device } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const content = encryptedContent(device.deviceId, []);
    for (let i = 0; i < SYNC_PAGE_MAX + 1; i++) {
      socket.send({ type: 'send', cid: newCid(), to: alice.user.id, content });
    }
    for (let i = 0; i < SYNC_PAGE_MAX + 1; i++) await socket.nextFrameOf('ack');

    socket.send({ type: 'sync', after: 0 });
    const first = await socket.nextFrameOf('sync.page');
    socket.send({ type: 'sync', after: SYNC_PAGE_MAX, limit: SYNC_PAGE_MAX });
    const second = await socket.nextFrameOf('sync.page');

    expect(first.events).toHaveLength(SYNC_PAGE_MAX);
    expect(first.hasMore).toBe(true);
    expect(second.events.map((event) => event.seq)).toEqual([SYNC_PAGE_MAX + 1]);
    expect(second.hasMore).toBe(false);
  });

  it('limit past SYNC_PAGE_MAX is rejected', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);

    socket.send({ type: 'sync', after: 0, limit: SYNC_PAGE_MAX + 1 });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('limit');
  });

  it('empty inbox gives an empty page', async () => {
    const alice = await registerUser();
    const { socket, welcome } = await openSocket(alice.token);

    socket.send({ type: 'sync', after: 0 });
    const page = await socket.nextFrameOf('sync.page');

    expect(welcome.headSeq).toBe(0);
    expect(page).toEqual({ type: 'sync.page', events: [], hasMore: false, headSeq: 0 });
  });
});
