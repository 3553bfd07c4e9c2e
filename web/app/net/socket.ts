// The socket client: one WebSocket to the user's Durable Object, reopened
// with backoff. Each connection waits for `welcome`, syncs the inbox page by
// page from the last stored seq, then flushes the outbox in order. Frames are
// handled one at a time in arrival order, the frames of a `batch` in the
// order given, because each handler writes to IndexedDB and the next one
// depends on the lastSeq it stored.

import {
  CLOSE_SESSION_REVOKED,
  CLOSE_UNAUTHORIZED,
  PONG_FRAME,
  type ClientFrame,
  type ServerGroupAckFrame,
  type ServerKickedFrame,
} from '../../../protocol/frames';
import type { ReadMarker } from '../store/conversations';
import { ReconnectSchedule } from './backoff';
import { markWelcomed, openConnection, retireConnection, settleSend, type Connection } from './connection';
import { GroupSync } from './group-sync';
import { InboxSync } from './inbox-sync';
import { OutboxFlusher } from './outbox-flush';
import { parseServerFrame, unbatch, type SingleServerFrame } from './server-frames';
import { CLOSE_CLIENT_DROPPED, CLOSE_NORMAL, closeSocketQuietly } from './socket-link';
import type { InboxStore, LockRunner, NetworkMonitor, SendCrypto, SocketFactory } from './socket-io';

export type ConnectionState = 'online' | 'connecting' | 'offline';

export interface SocketClientListener {
  state(state: ConnectionState): void;
  /** The session was revoked; the client has stopped. */
  kicked(reason: ServerKickedFrame['reason']): void;
  /** The token was refused or the session ended without a reason; the client has stopped. */
  unauthorized(): void;
}

export interface SocketClientOptions {
  url: string;
  token: string;
  userId: string;
  store: InboxStore;
  crypto: SendCrypto;
  openSocket: SocketFactory;
  network: NetworkMonitor;
  withLock: LockRunner;
  listener: SocketClientListener;
  random?: () => number;
}

export class SocketClient {
  private connection: Connection | null = null;
  private stopped = true;
  private currentState: ConnectionState = 'offline';
  private readonly schedule: ReconnectSchedule;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribeNetwork: (() => void) | null = null;
  private frameQueue: Promise<void> = Promise.resolve();
  private readonly outbox: OutboxFlusher;
  private readonly inbox: InboxSync;
  private readonly groups: GroupSync;
  /** This browser's device is registered for the session. Until then no socket opens, because every send needs the device. */
  private deviceReady = false;
  private preparing = false;

  constructor(private readonly options: SocketClientOptions) {
    this.schedule = new ReconnectSchedule(options.random ?? Math.random);
    this.outbox = new OutboxFlusher({
      lockName: `feige-outbox-${options.userId}`,
      withLock: options.withLock,
      store: options.store,
      crypto: options.crypto,
      current: () => this.connection,
      send: (connection, frame) => this.send(connection, frame),
    });
    this.inbox = new InboxSync({
      store: options.store,
      send: (connection, frame) => this.send(connection, frame),
      isCurrent: (connection) => connection === this.connection,
      caughtUp: (connection) => {
        this.setState('online');
        void this.outbox.flush();
        this.groups
          .syncPullGroups(connection)
          .catch((error: unknown) => console.warn('[socket] starting the group syncs failed', error));
      },
      retrySends: () => this.outbox.scheduleRetry(),
      devicesChanged: (cid, devices) => options.crypto.devicesChanged(cid, devices),
      resendNow: () => void this.outbox.flush(),
      deviceMissing: () => this.registerAgain(),
    });
    this.groups = new GroupSync({
      store: options.store,
      send: (connection, frame) => this.send(connection, frame),
      isCurrent: (connection) => connection === this.connection,
    });
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;

    this.unsubscribeNetwork = this.options.network.subscribe({
      online: () => this.handleOnline(),
      offline: () => this.handleOffline(),
    });
    if (this.options.network.isOnline()) this.connect();
    else this.setState('offline');
  }

  /** Closes the socket for good: sign-out, kick or a refused token. Frames still queued are dropped. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;

    this.unsubscribeNetwork?.();
    this.unsubscribeNetwork = null;
    this.clearTimers();
    this.dropConnection(CLOSE_NORMAL, 'stopped');
    this.setState('offline');
  }

  /** Sends the queued outbox now if the socket is caught up; otherwise the next connection does. */
  flushOutbox(): Promise<void> {
    return this.outbox.flush();
  }

  /** Tells the server, and so the user's other devices, that a conversation was read. Offline, it waits for the next connection. */
  async sendRead(marker: ReadMarker): Promise<void> {
    const connection = this.connection;
    if (!connection?.caughtUp) return;

    this.send(connection, { type: 'read', conversationId: marker.conversationId, readSeq: marker.readSeq });
    await this.options.store.markReadSent(marker);
  }

  /** Reads a group's new log entries with `group.sync`, for a chat the user opened. Offline, the next connection reads `pull` groups anyway. */
  async syncGroup(groupId: string): Promise<void> {
    const connection = this.connection;
    if (!connection?.caughtUp) return;
    await this.groups.request(connection, groupId);
  }

  // ---------------------------------------------------------------------------
  // Connection lifecycle

  private connect(): void {
    this.clearRetryTimer();
    this.setState('connecting');
    if (!this.deviceReady) {
      void this.prepareThenConnect();
      return;
    }

    this.connection = openConnection(this.options.url, this.options.token, this.options.openSocket, {
      message: (connection, data) => this.receive(connection, data),
      close: (connection, code, reason) => this.enqueue(connection, () => this.handleClose(connection, code, reason)),
      dead: (connection, reason) => this.handleDeadSocket(connection, reason),
    });
  }

  /** Registers this browser's device, then connects. A failure, such as no network, retries with the usual backoff. */
  private async prepareThenConnect(): Promise<void> {
    if (this.preparing) return;
    this.preparing = true;
    try {
      await this.options.crypto.prepare();
      this.deviceReady = true;
    } catch (error) {
      // TODO: a registration the edge rejects for good (too_many_devices) is retried like a network failure and never shown to the user.
      console.warn('[socket] registering this device failed; retrying', error);
      this.scheduleReconnect();
      return;
    } finally {
      this.preparing = false;
    }

    if (this.stopped || this.connection) return;
    this.connect();
  }

  /** Drops the socket and registers the device again before the next one opens. */
  private registerAgain(): void {
    this.deviceReady = false;
    this.dropConnection(CLOSE_CLIENT_DROPPED, 'device not registered');
    this.scheduleReconnect();
  }

  private handleClose(connection: Connection, code: number, reason: string): void {
    if (connection !== this.connection) return;
    this.teardown(connection);

    if (code === CLOSE_UNAUTHORIZED || code === CLOSE_SESSION_REVOKED) {
      console.warn('[socket] session ended by the server', { code, reason });
      this.endSession(() => this.options.listener.unauthorized());
      return;
    }
    console.info('[socket] closed; reconnecting', { code, reason });
    this.scheduleReconnect();
  }

  private handleDeadSocket(connection: Connection, reason: string): void {
    if (connection !== this.connection) return;

    console.warn(`[socket] ${reason}; reconnecting`);
    this.dropConnection(CLOSE_CLIENT_DROPPED, reason);
    this.scheduleReconnect();
  }

  private handleOnline(): void {
    if (this.stopped || this.connection) return;
    this.schedule.reset();
    this.connect();
  }

  /**
   * Closes the socket when the browser reports offline. Under offline
   * emulation Chromium only stalls an open socket (seen with Playwright's
   * context.setOffline), so the client cannot wait for a close event.
   */
  private handleOffline(): void {
    if (this.stopped) return;
    this.clearTimers();
    this.dropConnection(CLOSE_CLIENT_DROPPED, 'browser went offline');
    this.setState('offline');
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setState('offline');
    if (!this.options.network.isOnline()) return;

    const delay = this.schedule.next();
    this.clearRetryTimer();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  /** Closes the current socket at once; its close event, arriving later, is then ignored. */
  private dropConnection(code: number, reason: string): void {
    const connection = this.connection;
    if (!connection) return;

    this.teardown(connection);
    closeSocketQuietly(connection, code, reason, '[socket]');
  }

  private teardown(connection: Connection): void {
    retireConnection(connection);
    if (this.connection === connection) this.connection = null;
  }

  private endSession(notify: () => void): void {
    this.stop();
    notify();
  }

  // ---------------------------------------------------------------------------
  // Inbound frames

  private receive(connection: Connection, data: unknown): void {
    connection.heartbeat.received();
    if (data === PONG_FRAME) return;

    const parsed = parseServerFrame(data);
    if (!parsed.ok) {
      console.warn('[socket] ignored a server frame', parsed.reason);
      return;
    }
    // Each frame of a batch is queued on its own, as if it had arrived alone.
    for (const frame of unbatch(parsed.frame)) {
      if (frame.type === 'sync.page' && !this.stopped) this.inbox.pageArrived(connection, frame);
      this.enqueue(connection, () => this.handleFrame(connection, frame));
    }
  }

  private enqueue(connection: Connection, work: () => void | Promise<void>): void {
    this.frameQueue = this.frameQueue.then(work).catch((error: unknown) => {
      console.error('[socket] handling a frame failed; reconnecting', error);
      if (connection !== this.connection) return;
      this.dropConnection(CLOSE_CLIENT_DROPPED, 'frame handling failed');
      this.scheduleReconnect();
    });
  }

  private async handleFrame(connection: Connection, frame: SingleServerFrame): Promise<void> {
    if (this.stopped) return;

    switch (frame.type) {
      case 'welcome':
        return this.handleWelcome(connection, frame.userId);
      case 'sync.page':
        return this.inbox.applyPage(connection, frame);
      case 'event':
        return this.inbox.applyLiveEvent(connection, frame.event);
      case 'ack':
        return this.inbox.applyAck(connection, frame);
      case 'error': {
        const { cid } = frame;
        if (cid !== undefined) return this.inbox.applySendError(connection, { ...frame, cid });
        if (await this.groups.applyError(connection, frame.code, frame.groupId)) return;
        if (frame.code === 'unauthorized') return this.endSession(() => this.options.listener.unauthorized());
        // TODO: an error that rejects a whole `sends` frame names no cid, so its messages stay in flight until the next connection.
        console.warn('[socket] server error frame', { code: frame.code, message: frame.message });
        return;
      }
      case 'kicked':
        console.warn('[socket] session revoked', { reason: frame.reason });
        return this.endSession(() => this.options.listener.kicked(frame.reason));
      case 'prekeys.low':
        console.info('[socket] server reports few one-time prekeys left', { remaining: frame.remaining });
        this.options.crypto
          .preKeysLow()
          .catch((error: unknown) => console.warn('[socket] uploading one-time prekeys failed', error));
        return;
      case 'group.ack':
        return this.applyGroupAck(connection, frame);
      case 'group.page':
        return this.groups.applyPage(connection, frame);
      case 'pong':
        return;
      default: {
        const unreachable: never = frame;
        throw new Error(`unhandled server frame ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private async handleWelcome(connection: Connection, userId: string): Promise<void> {
    if (connection !== this.connection || connection.welcomed) return;
    if (userId !== this.options.userId) {
      console.error('[socket] welcome names another user; signing out', { expected: this.options.userId, userId });
      this.endSession(() => this.options.listener.unauthorized());
      return;
    }

    markWelcomed(connection);
    this.schedule.reset();
    await this.inbox.start(connection);
  }

  private async applyGroupAck(connection: Connection, ack: ServerGroupAckFrame): Promise<void> {
    const { behind, delivery } = await this.options.store.applyGroupAck(ack);
    settleSend(connection, ack.cid);
    if (behind && delivery === 'pull') await this.groups.request(connection, ack.groupId);
  }

  // ---------------------------------------------------------------------------
  // Helpers

  private send(connection: Connection, frame: ClientFrame): void {
    if (connection !== this.connection) return;
    connection.socket.send(JSON.stringify(frame));
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.options.listener.state(state);
  }

  private clearRetryTimer(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private clearTimers(): void {
    this.clearRetryTimer();
    this.outbox.cancelRetry();
  }
}
