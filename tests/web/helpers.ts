// Builders and fakes shared by the PWA unit tests.

import { clientFrameSchema, directConversationId, type ClientFrame, type InboxEvent, type ServerFrame } from '../../protocol/frames';
import type { NetworkMonitor, SocketEvents, SocketLike } from '../../web/app/net/socket-io';
import { openFeigeDb, type FeigeDb } from '../../web/app/store/db';

export const ALICE = 'user-alice';
export const BOB = 'user-bob';
export const ALICE_BOB = directConversationId(ALICE, BOB);

/** A fresh database per test: each test gets its own user id, so no state is shared. */
export async function openFreshDb(): Promise<{ db: FeigeDb; userId: string }> {
  const userId = `user-${crypto.randomUUID()}`;
  return { db: await openFeigeDb(userId), userId };
}

export function messageEvent(
  seq: number,
  options: { from: string; to: string; text?: string; id?: string; cid?: string; ts?: number },
): InboxEvent {
  const ts = options.ts ?? 1_700_000_000_000 + seq * 1_000;
  return {
    kind: 'message',
    seq,
    ts,
    message: {
      id: options.id ?? `m-${options.from}-${seq}`,
      conversationId: directConversationId(options.from, options.to),
      from: options.from,
      to: options.to,
      cid: options.cid ?? `cid-${options.from}-${seq}`,
      content: { type: 'text', text: options.text ?? `text ${seq}` },
      ts,
    },
  };
}

export function readEvent(seq: number, conversationId: string, readSeq: number): InboxEvent {
  return { kind: 'read', seq, ts: 1_700_000_000_000 + seq * 1_000, conversationId, readSeq };
}

/**
 * Lets IndexedDB work, WebCrypto and queued frame handlers run until
 * `condition` holds; fails after a bounded number of event-loop turns. The
 * bound leaves room for key generation and encryption, which resolve on
 * Node's thread pool rather than in a set number of turns.
 */
export async function until(description: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let turn = 0; turn < 50_000; turn++) {
    if (await condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`condition never held: ${description}`);
}

/** Runs the event loop for a while so that anything queued gets the chance to happen. */
export async function drain(turns = 200): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A socket the test plays the server for. */
export class FakeSocket implements SocketLike {
  readonly sent: string[] = [];
  closedWith: { code?: number; reason?: string } | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string[],
    private readonly events: SocketEvents,
  ) {}

  send(data: string): void {
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
  }

  /** Frames the client sent, schema-checked; heartbeat pings are left out. */
  frames(): ClientFrame[] {
    return this.sent.filter((data) => data !== '{"type":"ping"}').map((data) => clientFrameSchema.parse(JSON.parse(data)));
  }

  framesOfType<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.frames().filter((frame): frame is Extract<ClientFrame, { type: T }> => frame.type === type);
  }

  serverSends(frame: ServerFrame): void {
    this.events.message(JSON.stringify(frame));
  }

  serverSendsRaw(data: string): void {
    this.events.message(data);
  }

  serverCloses(code: number, reason = ''): void {
    this.events.close(code, reason);
  }
}

export class FakeNetwork implements NetworkMonitor {
  online = true;
  private handlers: { online(): void; offline(): void } | null = null;

  isOnline(): boolean {
    return this.online;
  }

  subscribe(handlers: { online(): void; offline(): void }): () => void {
    this.handlers = handlers;
    return () => {
      this.handlers = null;
    };
  }

  goOffline(): void {
    this.online = false;
    this.handlers?.offline();
  }

  goOnline(): void {
    this.online = true;
    this.handlers?.online();
  }
}

/** Exclusive locks by name like `navigator.locks.request`, shared by every client given the same instance. */
export class FakeLocks {
  private readonly tails = new Map<string, Promise<void>>();

  readonly run = (name: string, work: () => Promise<void>): Promise<void> => {
    const result = (this.tails.get(name) ?? Promise.resolve()).then(work);
    this.tails.set(name, result.catch(() => undefined));
    return result;
  };
}
