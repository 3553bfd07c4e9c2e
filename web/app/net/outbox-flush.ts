// Sends the outbox over a caught-up connection, in queue order and with the
// original cids, under a Web Lock shared by all tabs of the account. Each
// entry is encrypted for the current devices just before it is sent. The lock
// is held until the acks arrive, so another tab does not send the same
// pending message at the same time. A duplicate would be harmless because
// the server deduplicates by cid, but it costs a round trip.

import type { ClientFrame } from '../../../protocol/frames';
import type { GroupMessageContent } from '../../../protocol/groups';
import type { OutboxEntry } from '../store/db';
import type { Connection } from './connection';
import type { InboxStore, LockRunner, SealOutcome, SendCrypto } from './socket-io';

/**
 * Time the flush holds the cross-tab lock waiting for acks. A tab that
 * flushes next then finds the acked messages gone and sends nothing twice.
 * After this time it may resend, which the server's cid check makes harmless.
 */
export const ACK_WAIT_MS = 10_000;

/** Delay before resending a message the server failed to store for a passing reason. */
export const SEND_RETRY_DELAY_MS = 5_000;

export interface OutboxFlushOptions {
  lockName: string;
  withLock: LockRunner;
  store: InboxStore;
  crypto: SendCrypto;
  /** The client's current connection, or null while it has none. */
  current(): Connection | null;
  send(connection: Connection, frame: ClientFrame): void;
}

export class OutboxFlusher {
  private flushing = false;
  private flushAgain = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: OutboxFlushOptions) {}

  /** Sends every pending message not yet sent on this connection; a call during a flush runs another one after it. */
  async flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }

    this.flushing = true;
    try {
      do {
        this.flushAgain = false;
        const connection = this.options.current();
        if (!connection?.caughtUp) return;
        await this.options.withLock(this.options.lockName, () => this.sendPending(connection));
      } while (this.flushAgain);
    } finally {
      this.flushing = false;
    }
  }

  /** Flushes again after SEND_RETRY_DELAY_MS; calls while a retry is scheduled add nothing. */
  scheduleRetry(): void {
    if (this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, SEND_RETRY_DELAY_MS);
  }

  cancelRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async sendPending(connection: Connection): Promise<void> {
    if (connection !== this.options.current()) return;

    const waits: Promise<void>[] = [];
    for (const entry of await this.options.store.outbox()) {
      if (connection.inflight.has(entry.cid)) continue;

      const groupId = entry.groupId;
      if (groupId !== undefined) {
        const content = await this.tryGroupContent(entry, groupId);
        if (content === null) break;
        if (connection !== this.options.current()) return;

        waits.push(new Promise<void>((resolve) => connection.inflight.set(entry.cid, resolve)));
        this.options.send(connection, { type: 'group.send', cid: entry.cid, groupId, content });
        continue;
      }

      const sealed = await this.trySeal(entry);
      if (sealed === null) break;
      if (connection !== this.options.current()) return;
      if (!sealed.ok) {
        await this.options.store.markFailed(entry.cid, sealed.failure);
        continue;
      }

      waits.push(new Promise<void>((resolve) => connection.inflight.set(entry.cid, resolve)));
      const content = { type: 'e2e', envelope: sealed.envelope } as const;
      // A sender key names its group, so that the edge checks co-membership instead of the relation.
      const senderKeyGroup = entry.content.type === 'sender_key' ? { groupId: entry.content.distribution.groupId } : {};
      this.options.send(connection, { type: 'send', cid: entry.cid, to: entry.to, content, ...senderKeyGroup });
    }
    if (waits.length === 0) return;

    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ACK_WAIT_MS)));
    await Promise.race([Promise.all(waits), timeout, connection.closed]);
    clearTimeout(timer);
  }

  /**
   * Returns the content of a group entry: plain `text` for a
   * transport-encrypted group, else the sender-key ciphertext, made once and
   * kept for resends. A failure returns null and schedules a retry, so later
   * entries wait and the order holds.
   */
  private async tryGroupContent(entry: OutboxEntry, groupId: string): Promise<GroupMessageContent | null> {
    if (entry.content.type !== 'text') throw new Error(`invalid group outbox entry ${entry.cid}: expected text content, got ${entry.content.type}`);
    if (entry.groupContent) return entry.groupContent;
    if (entry.groupEncryption === 'transport') return { type: 'text', text: entry.content.text };

    try {
      const sealed = await this.options.crypto.sealGroupText(groupId, entry.content.text);
      await this.options.store.storeGroupContent(entry.cid, sealed);
      return sealed;
    } catch (error) {
      // A new sender key queued its hand-outs first: the expected path of a first send, not a failure.
      if (error instanceof Error && error.name === 'DistributionPendingError') {
        console.info('[socket] a group message waits for its sender key to be handed out', { cid: entry.cid, groupId });
      } else {
        console.warn('[socket] encrypting a group message failed; retrying later', { cid: entry.cid, groupId, error });
      }
      this.scheduleRetry();
      return null;
    }
  }

  /**
   * Encrypts one entry. A failure that may pass (no network for a bundle
   * claim, keys that do not match their device list) returns null and
   * schedules a retry, so later entries wait and the order holds.
   */
  private async trySeal(entry: OutboxEntry): Promise<SealOutcome | null> {
    try {
      return await this.options.crypto.seal(entry);
    } catch (error) {
      console.warn('[socket] encrypting a message failed; retrying later', { cid: entry.cid, error });
      this.scheduleRetry();
      return null;
    }
  }
}
