import { describe, expect, test } from 'vitest';
import type { InboxStore, SocketFactory } from '../../web/app/net/socket-io';
import { GROUP_LIVE_STREAMS_MAX, GroupStreams } from '../../web/app/state/group-streams';

/** Opens no real socket: records the URL of each socket a stream opens and which were closed. */
function recordingSockets() {
  const opened: string[] = [];
  const closed: string[] = [];
  const openSocket: SocketFactory = (url) => {
    opened.push(url);
    return { send: () => undefined, close: () => closed.push(url) };
  };
  return { opened, closed, openSocket };
}

/** Returns a store whose pull groups are `groupIds()`; only the calls GroupStreams makes are implemented. */
function storeWithPullGroups(groupIds: () => string[]): InboxStore {
  const store: Partial<InboxStore> = {
    pullGroups: async () => groupIds().map((groupId) => ({ groupId, lastGroupSeq: 0 })),
    lastGroupSeq: async () => 0,
  };
  return store as InboxStore;
}

function groupIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `group-${index}`);
}

function streamsFor(ids: () => string[]) {
  const sockets = recordingSockets();
  const streams = new GroupStreams({
    token: 'token',
    store: storeWithPullGroups(ids),
    openSocket: sockets.openSocket,
    socketUrl: (groupId) => `ws://127.0.0.1/api/v1/groups/${groupId}/socket`,
  });
  return { streams, sockets };
}

describe('group streams', () => {
  test('streams open up to the cap', async () => {
    const { streams, sockets } = streamsFor(() => groupIds(GROUP_LIVE_STREAMS_MAX));
    await streams.refresh();

    expect(sockets.opened).toHaveLength(GROUP_LIVE_STREAMS_MAX);
    streams.stop();
  });

  test('one past the cap gets no stream', async () => {
    const { streams, sockets } = streamsFor(() => groupIds(GROUP_LIVE_STREAMS_MAX + 1));
    await streams.refresh();

    expect(sockets.opened).toHaveLength(GROUP_LIVE_STREAMS_MAX);
    expect(sockets.opened.some((url) => url.includes(`group-${GROUP_LIVE_STREAMS_MAX}/`))).toBe(false);
    streams.stop();
  });

  test('refresh closes streams of ended groups', async () => {
    let current = groupIds(2);
    const { streams, sockets } = streamsFor(() => current);
    await streams.refresh();

    current = ['group-1'];
    await streams.refresh();

    expect(sockets.closed).toEqual(['ws://127.0.0.1/api/v1/groups/group-0/socket']);
    expect(sockets.opened).toHaveLength(2);
    streams.stop();
  });

  test('stop closes every stream', async () => {
    const { streams, sockets } = streamsFor(() => groupIds(3));
    await streams.refresh();
    streams.stop();

    expect(sockets.closed).toHaveLength(3);
  });
});
