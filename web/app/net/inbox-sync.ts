// The inbox half of the socket protocol: sync pages, live events, acks and
// failed sends, applied to the local store in seq order (rule R2: no gap, no
// duplicate). The socket client routes these frames here and handles the
// connection frames (welcome, kicked, pong) itself.

import type { ErrorCode } from '../../../protocol/errors';
import type {
  ClientFrame,
  InboxEvent,
  ServerAckFrame,
  ServerErrorFrame,
  ServerSyncPageFrame,
  UserDevices,
} from '../../../protocol/frames';
import { settleSend, type Connection } from './connection';
import type { InboxStore, OpenedAhead } from './socket-io';
import { classifyLiveEvent, wantsNextPage } from './sync-rules';

/** Send errors after which the message stays in the outbox and is sent again. */
const RETRYABLE_SEND_ERRORS: readonly ErrorCode[] = ['internal', 'rate_limited'];

/**
 * `devices_changed` rejections of one cid before the message is marked
 * failed. Each rejection lists the devices anew, so needing more means the
 * devices change faster than one send takes, or the lists disagree with the edge.
 */
export const DEVICES_CHANGED_RETRIES_MAX = 3;

export interface InboxSyncHooks {
  store: InboxStore;
  /** Sends a frame if `connection` is still the client's current one. */
  send(connection: Connection, frame: ClientFrame): void;
  isCurrent(connection: Connection): boolean;
  /** The first sync of `connection` has finished. */
  caughtUp(connection: Connection): void;
  /** A send failed for a passing reason; the outbox should be flushed again later. */
  retrySends(): void;
  /** Refreshes the device lists after `devices_changed`, so the next encryption of `cid` addresses the current devices. */
  devicesChanged(cid: string, devices: readonly UserDevices[]): Promise<void>;
  /** Flushes the outbox now, to resend a message encrypted again. */
  resendNow(): void;
  /** The edge has no device for this session: register it again before sending. */
  deviceMissing(): void;
}

export class InboxSync {
  /** `devices_changed` rejections per cid since its last ack. */
  private readonly deviceRetries = new Map<string, number>();
  /** Pages whose decryption started on arrival, until they are applied. */
  private readonly openedAhead = new WeakMap<ServerSyncPageFrame, OpenedAhead>();
  /** Per connection, pages that arrived without being opened ahead and are not yet handed to the store. */
  private readonly waitingToOpen = new WeakMap<Connection, number>();

  constructor(private readonly hooks: InboxSyncHooks) {}

  /** Requests the events after the stored lastSeq; during a running sync it only marks that another one is needed. */
  async start(connection: Connection): Promise<void> {
    if (connection.syncInFlight) {
      connection.resyncNeeded = true;
      return;
    }

    connection.syncInFlight = true;
    connection.lastSeq = await this.hooks.store.lastSeq();
    this.hooks.send(connection, { type: 'sync', after: connection.lastSeq });
  }

  /**
   * Runs when a page arrives, before the frames ahead of it are handled:
   * starts decrypting it, so that it decrypts while IndexedDB stores the
   * page before it. A page that the store will not open ahead (one with a
   * group change) holds back the pages after it until it is handed to the
   * store, because decryption follows the order of the inbox.
   */
  pageArrived(connection: Connection, page: ServerSyncPageFrame): void {
    const waiting = this.waitingToOpen.get(connection) ?? 0;
    const ahead = waiting === 0 ? this.hooks.store.openAhead?.(page.events) : undefined;
    if (ahead) this.openedAhead.set(page, ahead);
    else this.waitingToOpen.set(connection, waiting + 1);
  }

  /**
   * Stores a page. The next page is requested before this one is stored, so
   * the server reads it while IndexedDB writes, and it decrypts meanwhile
   * (pageArrived). Frames are handled one at a time, so the next page is
   * stored only after this one, and a failed store drops the connection
   * before that.
   */
  async applyPage(connection: Connection, page: ServerSyncPageFrame): Promise<void> {
    const nextAfter = wantsNextPage(page) ? page.events.at(-1)!.seq : null;
    if (nextAfter !== null) this.hooks.send(connection, { type: 'sync', after: nextAfter });

    const ahead = this.openedAhead.get(page);
    this.openedAhead.delete(page);
    const applying = this.hooks.store.applyEvents(page.events, ahead);
    // The store queued this page's decryption in the call, so the pages after it may now open ahead.
    if (!ahead) this.waitingToOpen.set(connection, Math.max(0, (this.waitingToOpen.get(connection) ?? 0) - 1));
    const { lastSeq } = await applying;
    connection.lastSeq = lastSeq;
    if (nextAfter !== null) return;

    connection.syncInFlight = false;
    if (connection.resyncNeeded) {
      connection.resyncNeeded = false;
      await this.start(connection);
      return;
    }
    if (connection.caughtUp || !this.hooks.isCurrent(connection)) return;

    connection.caughtUp = true;
    this.hooks.caughtUp(connection);
    await this.sendUnsentReads(connection);
  }

  async applyLiveEvent(connection: Connection, event: InboxEvent): Promise<void> {
    const action = classifyLiveEvent(event.seq, connection.lastSeq);
    switch (action) {
      case 'apply': {
        const { lastSeq } = await this.hooks.store.applyEvents([event]);
        connection.lastSeq = lastSeq;
        return;
      }
      case 'ignore':
        return;
      case 'gap':
        return this.start(connection);
      default: {
        const unreachable: never = action;
        throw new Error(`unknown live event action ${String(unreachable)}`);
      }
    }
  }

  async applyAck(connection: Connection, ack: ServerAckFrame): Promise<void> {
    const { lastSeq, gap } = await this.hooks.store.applyAck(ack);
    connection.lastSeq = Math.max(connection.lastSeq, lastSeq);
    settleSend(connection, ack.cid);
    this.deviceRetries.delete(ack.cid);
    if (gap) await this.start(connection);
  }

  /** Keeps the message pending after a passing failure, else marks it failed with the reason. */
  async applySendError(connection: Connection, frame: ServerErrorFrame & { cid: string }): Promise<void> {
    settleSend(connection, frame.cid);
    if (frame.code === 'devices_changed') return this.retryForDevices(frame);
    if (frame.code === 'device_not_registered') {
      console.warn('[socket] the edge has no device for this session; registering it again', { cid: frame.cid });
      this.hooks.deviceMissing();
      return;
    }
    if (RETRYABLE_SEND_ERRORS.includes(frame.code)) {
      console.warn('[socket] send failed for a passing reason; retrying', { cid: frame.cid, code: frame.code });
      this.hooks.retrySends();
      return;
    }

    const failure = { code: frame.code, limit: frame.limit, value: frame.value };
    await this.hooks.store.markFailed(frame.cid, failure);
  }

  /** Encrypts the message again for the devices the edge listed, with the same cid, a bounded number of times. */
  private async retryForDevices(frame: ServerErrorFrame & { cid: string }): Promise<void> {
    const attempts = (this.deviceRetries.get(frame.cid) ?? 0) + 1;
    if (attempts > DEVICES_CHANGED_RETRIES_MAX) {
      this.deviceRetries.delete(frame.cid);
      console.warn('[socket] the devices kept changing; giving up on a message', { cid: frame.cid, attempts });
      await this.hooks.store.markFailed(frame.cid, { code: 'devices_changed' });
      return;
    }
    this.deviceRetries.set(frame.cid, attempts);

    try {
      await this.hooks.devicesChanged(frame.cid, frame.devices ?? []);
    } catch (error) {
      console.warn('[socket] refreshing device lists failed; retrying later', { cid: frame.cid, error });
      this.hooks.retrySends();
      return;
    }
    this.hooks.resendNow();
  }

  private async sendUnsentReads(connection: Connection): Promise<void> {
    for (const marker of await this.hooks.store.unsentReads()) {
      if (!this.hooks.isCurrent(connection)) return;
      this.hooks.send(connection, { type: 'read', conversationId: marker.conversationId, readSeq: marker.readSeq });
      await this.hooks.store.markReadSent(marker);
    }
  }
}
