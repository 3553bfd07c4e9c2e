// A group message through the real socket client and outbox flush: the
// sender-key distributions leave first, as 1:1 `send` frames naming the
// group, and the `group.send` follows only after the edge acknowledged them.
// The test plays the edge on a fake socket.

import { describe, expect, test } from 'vitest';
import { PROTOCOL_VERSION, directConversationId, type ClientFrame } from '../../protocol/frames';
import { openSessionStore } from '../../web/app/crypto/session-store';
import { EndToEnd } from '../../web/app/e2e/end-to-end';
import { SocketClient } from '../../web/app/net/socket';
import { queueGroupMessage } from '../../web/app/store/groups';
import { createInboxStore } from '../../web/app/store/inbox-store';
import { FakeKeyServer, signedInDevice } from './e2e-harness';
import { BOB, FakeLocks, FakeNetwork, FakeSocket, openFreshDb, until } from './helpers';

const GROUP = 'group-flush';

async function connectedClient() {
  const { db, userId } = await openFreshDb();
  const keys = new FakeKeyServer();
  await signedInDevice(BOB, keys);
  const sockets: FakeSocket[] = [];
  const locks = new FakeLocks().run;

  const e2e: EndToEnd = new EndToEnd({
    me: userId,
    store: await openSessionStore(`feige-crypto-${userId}`),
    db,
    directory: keys.directoryFor(userId, { deviceId: null }),
    withLock: locks,
    changed: () => undefined,
    flush: () => void client.flushOutbox(),
    groupMembers: async () => [userId, BOB],
  });
  const client: SocketClient = new SocketClient({
    url: 'ws://127.0.0.1:8787/ws',
    token: 'token-abc',
    userId,
    store: createInboxStore(db, userId, () => undefined, e2e),
    crypto: e2e,
    openSocket: (url, protocols, events) => {
      const socket = new FakeSocket(url, protocols, events);
      sockets.push(socket);
      return socket;
    },
    network: new FakeNetwork(),
    withLock: locks,
    listener: { state: () => undefined, kicked: () => undefined, unauthorized: () => undefined },
    random: () => 1,
  });

  client.start();
  await until('socket opened', () => sockets.length > 0);
  const socket = sockets[0]!;
  socket.serverSends({ type: 'welcome', v: PROTOCOL_VERSION, userId, sessionId: 'session-1', headSeq: 0 });
  await until('sync sent', () => socket.framesOfType('sync').length > 0);
  socket.serverSends({ type: 'sync.page', events: [], hasMore: false, headSeq: 0 });
  await until('client online', () => client.state === 'online');
  return { client, db, userId, socket };
}

function kinds(frames: ClientFrame[]): string[] {
  return frames.filter((frame) => frame.type === 'send' || frame.type === 'group.send').map((frame) => frame.type);
}

describe('group send through the outbox', () => {
  test('key distribution precedes group send', async () => {
    const { client, db, userId, socket } = await connectedClient();

    await queueGroupMessage(db, { cid: 'cid-group-0001', from: userId, groupId: GROUP, text: '大家好', encryption: 'end_to_end', createdAt: 1 });
    void client.flushOutbox();
    await until('distribution sent', () => socket.framesOfType('send').length === 1);
    const [distribution] = socket.framesOfType('send');
    socket.serverSends({ type: 'ack', cid: distribution!.cid, messageId: 'm-1', conversationId: directConversationId(userId, BOB), seq: 1, ts: 2 });
    await until('group message sent', () => socket.framesOfType('group.send').length === 1);

    expect(kinds(socket.frames())).toEqual(['send', 'group.send']);
    expect(distribution).toMatchObject({ to: BOB, groupId: GROUP });
    expect(distribution!.cid.startsWith('ctl-')).toBe(true);
    expect(socket.framesOfType('group.send')[0]!.content.type).toBe('group_e2e');
    client.stop();
  });
});
