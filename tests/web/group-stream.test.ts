import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_GROUP_MEMBERSHIP_ENDED, type GroupSocketServerFrame } from '../../protocol/frames';
import type { GroupLogEntry } from '../../protocol/groups';
import { BACKOFF_BASE_MS } from '../../web/app/net/backoff';
import { GroupStream, type GroupStreamEnd } from '../../web/app/net/group-stream';
import { FakeSocket, drain, until } from './helpers';

const GROUP = 'group-1';

function message(groupSeq: number, text = `m${groupSeq}`): GroupLogEntry {
  return {
    kind: 'message',
    groupSeq,
    ts: 1_000 + groupSeq,
    message: { id: `id-${groupSeq}`, groupId: GROUP, from: 'user-alice', cid: `cid-${groupSeq}-0000`, content: { type: 'text', text }, groupSeq, ts: 1_000 + groupSeq },
  };
}

function change(groupSeq: number, type: 'kicked' | 'left'): GroupLogEntry {
  const body = type === 'kicked' ? { type, userId: 'user-bob', by: 'user-alice' } : { type, userId: 'user-bob' };
  return { kind: 'change', groupSeq, ts: 1_000 + groupSeq, change: body };
}

function setup(stored = 0) {
  const sockets: FakeSocket[] = [];
  const received: number[] = [];
  const removed: GroupStreamEnd[] = [];
  const stream = new GroupStream({
    url: `ws://localhost/api/v1/groups/${GROUP}/socket`,
    token: 'token-1',
    groupId: GROUP,
    lastGroupSeq: async () => stored,
    openSocket: (url, protocols, events) => {
      const socket = new FakeSocket(url, protocols, events);
      sockets.push(socket);
      return socket;
    },
    onEntries: (entries) => {
      received.push(...entries.map((entry) => entry.groupSeq));
    },
    onRemoved: (reason) => removed.push(reason),
    random: () => 1,
  });
  const socket = () => sockets.at(-1)!;
  const serverSends = (frame: GroupSocketServerFrame) => socket().serverSendsRaw(JSON.stringify(frame));
  const page = (entries: GroupLogEntry[], hasMore = false) =>
    serverSends({ type: 'group.page', groupId: GROUP, entries, hasMore, headSeq: entries.at(-1)?.groupSeq ?? 0 });
  const entry = (logEntry: GroupLogEntry) => serverSends({ type: 'group.entry', groupId: GROUP, entry: logEntry });
  const syncsAfter = () => socket().framesOfType('group.sync').map((frame) => frame.after);
  return { stream, sockets, received, removed, socket, serverSends, page, entry, syncsAfter };
}

describe('group stream', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('syncs from the stored seq', async () => {
    const s = setup(5);
    s.stream.start();

    s.serverSends({ type: 'group.welcome', groupId: GROUP, headSeq: 7 });
    await until('group.sync sent', () => s.syncsAfter().length === 1);

    expect(s.socket().protocols).toEqual(['feige.v1', 'bearer.token-1']);
    expect(s.syncsAfter()).toEqual([5]);
    s.stream.stop();
  });

  it('pages, then emits buffered entries', async () => {
    const s = setup();
    s.stream.start();
    s.serverSends({ type: 'group.welcome', groupId: GROUP, headSeq: 3 });
    await until('first sync', () => s.syncsAfter().length === 1);

    s.entry(message(4));
    s.page([message(1), message(2)], true);
    await until('second sync', () => s.syncsAfter().length === 2);
    s.page([message(3), message(4)]);
    await until('all delivered', () => s.received.length === 4);
    await drain();

    expect(s.syncsAfter()).toEqual([0, 2]);
    expect(s.received).toEqual([1, 2, 3, 4]);
    s.stream.stop();
  });

  it('emits live entries once, in order', async () => {
    const s = setup(2);
    s.stream.start();
    s.serverSends({ type: 'group.welcome', groupId: GROUP, headSeq: 2 });
    await until('sync sent', () => s.syncsAfter().length === 1);
    s.page([]);

    s.entry(message(3));
    s.entry(message(3));
    s.entry(message(2));
    s.entry(change(4, 'left'));
    await until('two delivered', () => s.received.length === 2);
    await drain();

    expect(s.received).toEqual([3, 4]);
    s.stream.stop();
  });

  it('reconnects and resumes after a drop', async () => {
    const s = setup();
    s.stream.start();
    s.serverSends({ type: 'group.welcome', groupId: GROUP, headSeq: 1 });
    await until('sync sent', () => s.syncsAfter().length === 1);
    s.page([message(1)]);
    await until('delivered', () => s.received.length === 1);

    s.socket().serverCloses(1006);
    await drain();
    vi.advanceTimersByTime(BACKOFF_BASE_MS);
    expect(s.sockets).toHaveLength(2);
    s.serverSends({ type: 'group.welcome', groupId: GROUP, headSeq: 1 });
    await until('resync sent', () => s.syncsAfter().length === 1);

    expect(s.syncsAfter()).toEqual([1]);
    s.stream.stop();
  });

  it('stops when kicked', async () => {
    const s = setup();
    s.stream.start();
    s.serverSends({ type: 'group.welcome', groupId: GROUP, headSeq: 0 });
    await until('sync sent', () => s.syncsAfter().length === 1);
    s.page([]);

    s.entry(change(1, 'kicked'));
    s.socket().serverCloses(CLOSE_GROUP_MEMBERSHIP_ENDED, 'membership ended');
    await until('removed', () => s.removed.length === 1);
    vi.advanceTimersByTime(60_000);

    expect(s.removed).toEqual(['kicked']);
    expect(s.received).toEqual([1]);
    expect(s.sockets).toHaveLength(1);
  });

  it('stops when rejected as non-member', async () => {
    const s = setup();
    s.stream.start();

    s.serverSends({ type: 'error', code: 'not_a_member', message: 'You are not a member of this group.' });
    s.socket().serverCloses(CLOSE_GROUP_MEMBERSHIP_ENDED, 'not_a_member');
    await until('removed', () => s.removed.length === 1);
    vi.advanceTimersByTime(60_000);

    expect(s.removed).toEqual(['not_a_member']);
    expect(s.sockets).toHaveLength(1);
  });
});
