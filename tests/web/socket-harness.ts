// A socket client wired to a real store on fake-indexeddb, real end-to-end
// encryption against an in-memory key directory (e2e-harness.ts), fake
// sockets the test plays the server for, and a fake network.

import { vi } from 'vitest';
import { directConversationId, PROTOCOL_VERSION, type ServerKickedFrame } from '../../protocol/frames';
import { openSessionStore } from '../../web/app/crypto/session-store';
import { EndToEnd } from '../../web/app/e2e/end-to-end';
import { BACKOFF_BASE_MS } from '../../web/app/net/backoff';
import { SocketClient, type ConnectionState } from '../../web/app/net/socket';
import type { LockRunner } from '../../web/app/net/socket-io';
import type { FeigeDb } from '../../web/app/store/db';
import { createInboxStore } from '../../web/app/store/inbox-store';
import { queueMessage } from '../../web/app/store/outbox';
import { FakeKeyServer, signedInDevice } from './e2e-harness';
import { BOB, FakeNetwork, FakeSocket, openFreshDb, until } from './helpers';

export interface Harness {
  client: SocketClient;
  /** The key directory; BOB has one registered device in it. */
  keys: FakeKeyServer;
  db: FeigeDb;
  userId: string;
  network: FakeNetwork;
  sockets: FakeSocket[];
  states: ConnectionState[];
  kicks: ServerKickedFrame['reason'][];
  unauthorized: number;
  /** Starts the client and waits until it opened its first socket, which follows the device registration, or went offline. */
  start(): Promise<void>;
  /** The newest socket the client opened. */
  socket(): FakeSocket;
  /** Plays the server's welcome on the newest socket. */
  welcome(headSeq?: number): void;
  /** Waits until the newest socket has sent `count` frames of `type`. */
  sentCount(type: string, count: number): Promise<void>;
}

export async function createHarness(
  options: { db?: FeigeDb; userId?: string; network?: FakeNetwork; withLock?: LockRunner; keys?: FakeKeyServer } = {},
): Promise<Harness> {
  const fresh = options.db && options.userId ? { db: options.db, userId: options.userId } : await openFreshDb();
  const network = options.network ?? new FakeNetwork();
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const kicks: ServerKickedFrame['reason'][] = [];
  const keys = options.keys ?? new FakeKeyServer();
  if (!options.keys) await signedInDevice(BOB, keys);
  const withLock = options.withLock ?? ((_name, work) => work());
  const e2e = new EndToEnd({
    me: fresh.userId,
    store: await openSessionStore(`feige-crypto-${fresh.userId}`),
    db: fresh.db,
    directory: keys.directoryFor(fresh.userId, { deviceId: null }),
    withLock,
    changed: () => undefined,
    flush: () => void harness.client.flushOutbox(),
  });
  // Registered here, where real timers run, so that the client's own registration is a quick refresh.
  await e2e.prepare();

  const harness: Harness = {
    client: undefined as unknown as SocketClient,
    keys,
    db: fresh.db,
    userId: fresh.userId,
    network,
    sockets,
    states,
    kicks,
    unauthorized: 0,
    async start() {
      harness.client.start();
      await until('first socket opened', () => sockets.length > 0 || harness.client.state === 'offline');
    },
    socket() {
      const last = sockets.at(-1);
      if (!last) throw new Error('the client has not opened a socket');
      return last;
    },
    welcome(headSeq = 0) {
      harness.socket().serverSends({
        type: 'welcome',
        v: PROTOCOL_VERSION,
        userId: fresh.userId,
        sessionId: 'session-1',
        headSeq,
      });
    },
    async sentCount(type, count) {
      await until(`${count} "${type}" frames sent`, () => {
        const socket = sockets.at(-1);
        return socket !== undefined && socket.frames().filter((frame) => frame.type === type).length >= count;
      });
    },
  };

  harness.client = new SocketClient({
    url: 'ws://127.0.0.1:8787/ws',
    token: 'token-abc',
    userId: fresh.userId,
    store: createInboxStore(fresh.db, fresh.userId, () => undefined, e2e),
    crypto: e2e,
    openSocket: (url, protocols, events) => {
      const socket = new FakeSocket(url, protocols, events);
      sockets.push(socket);
      return socket;
    },
    network,
    withLock,
    listener: {
      state: (state) => states.push(state),
      kicked: (reason) => kicks.push(reason),
      unauthorized: () => harness.unauthorized++,
    },
    random: () => 1,
  });
  return harness;
}

/** Connects, sends the welcome and replies to the first sync with an empty last page. */
export async function connectCaughtUp(harness: Harness, headSeq = 0): Promise<void> {
  await harness.start();
  await catchUp(harness, headSeq);
}

/** Closes the newest socket as a network drop would, lets the first backoff pass, and catches the next socket up. Needs fake timers. */
export async function reconnectCaughtUp(harness: Harness): Promise<void> {
  harness.socket().serverCloses(1006);
  await until('offline after close', () => harness.client.state === 'offline');
  vi.advanceTimersByTime(BACKOFF_BASE_MS);
  await catchUp(harness, 0);
}

async function catchUp(harness: Harness, headSeq: number): Promise<void> {
  harness.welcome(headSeq);
  await harness.sentCount('sync', 1);
  harness.socket().serverSends({ type: 'sync.page', events: [], hasMore: false, headSeq });
  await until('client online', () => harness.client.state === 'online');
}

/** Queues a text message from `userId` to BOB in the outbox, as the composer does. */
export function queueToBob(db: FeigeDb, userId: string, cid: string, text = `text of ${cid}`) {
  return queueMessage(db, {
    cid,
    from: userId,
    to: BOB,
    conversationId: directConversationId(userId, BOB),
    content: { type: 'text', text },
    createdAt: 1_000,
  });
}
