// Sends the outbox over a caught-up connection, in queue order and with the
// original cids, under a Web Lock shared by all tabs of the account. Each
// entry is encrypted for the current devices just before it is sent, and
// direct messages that are ready together go out packed in `sends` frames
// (send-frames.ts), each cid still acked, retried or failed on its own. The lock
// is held until the acks arrive, so another tab does not send the same
// pending message at the same time. A duplicate would be harmless because
// the server deduplicates by cid, but it costs a round trip.

import type { Envelope } from '../../../protocol/envelope';
import { clientSendSchema, type ClientFrame, type ClientSendFrame } from '../../../protocol/frames';
import type { GroupMessageContent } from '../../../protocol/groups';
import { FRAME_MAX_BYTES } from '../../../protocol/limits';
import type { OutboxEntry } from '../store/db';
import type { Connection } from './connection';
import { SendFramePacker, frameBytes, sendsIn, type PackedSendFrame } from './send-frames';
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
    const packer = new SendFramePacker();
    const sendPacked = (frame: PackedSendFrame | null) => {
      if (frame) waits.push(...this.sendTracked(connection, frame, sendsIn(frame)));
    };

    for (const entry of await this.options.store.outbox()) {
      if (connection.inflight.has(entry.cid)) continue;

      const groupId = entry.groupId;
      if (groupId !== undefined) {
        // Sent before this entry is encrypted: the queue order holds, and the encryption waits for the
        // acks of any sender-key distributions among them.
        sendPacked(packer.take());
        const content = await this.tryGroupContent(entry, groupId);
        if (content === null) break;
        if (connection !== this.options.current()) return;

        waits.push(...this.sendTracked(connection, { type: 'group.send', cid: entry.cid, groupId, content }, [entry]));
        continue;
      }

      const direct = await this.prepareDirect(entry);
      if (direct === null) break;
      if (connection !== this.options.current()) return;

      switch (direct.kind) {
        case 'failed':
          continue;
        case 'alone':
          sendPacked(packer.take());
          sendPacked(direct.frame);
          continue;
        case 'pack':
          sendPacked(packer.add(direct.frame, direct.bytes));
          continue;
        default: {
          const unreachable: never = direct;
          throw new Error(`unknown direct send ${JSON.stringify(unreachable)}`);
        }
      }
    }
    sendPacked(packer.take());
    if (waits.length === 0) return;

    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ACK_WAIT_MS)));
    await Promise.race([Promise.all(waits), timeout, connection.closed]);
    clearTimeout(timer);
  }

  /**
   * Encrypts a direct entry and returns how its `send` frame goes out, or
   * null after a passing failure (see trySeal). An entry that can never be
   * sent is marked failed here with the sizes or the reason.
   */
  private async prepareDirect(entry: OutboxEntry): Promise<DirectSend | null> {
    const sealed = await this.trySeal(entry);
    if (sealed === null) return null;
    if (!sealed.ok) {
      await this.options.store.markFailed(entry.cid, sealed.failure);
      return { kind: 'failed' };
    }

    const frame = sendFrameOf(entry, sealed.envelope);
    const bytes = frameBytes(frame);
    if (bytes > FRAME_MAX_BYTES) {
      // The edge would reject the frame without naming its cid, so the message fails here with the sizes.
      await this.options.store.markFailed(entry.cid, { code: 'frame_too_large', limit: FRAME_MAX_BYTES, value: bytes });
      return { kind: 'failed' };
    }
    const checked = clientSendSchema.safeParse(frame);
    if (!checked.success) {
      // Inside a `sends` frame it would get the whole frame rejected without a cid. Alone, the edge
      // rejects it with its cid and the message fails with that error.
      const issue = checked.error.issues[0];
      console.warn('[socket] a send frame fails its schema; sending it alone', { cid: entry.cid, path: issue?.path.join('.'), issue: issue?.message });
      return { kind: 'alone', frame };
    }
    return { kind: 'pack', frame, bytes };
  }

  /** Marks each cid the frame carries as in flight, sends the frame, and returns the waits for their acks or errors. */
  private sendTracked(connection: Connection, frame: ClientFrame, carried: ReadonlyArray<{ cid: string }>): Promise<void>[] {
    const waits = carried.map(({ cid }) => new Promise<void>((resolve) => connection.inflight.set(cid, resolve)));
    this.options.send(connection, frame);
    return waits;
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

/**
 * The route of an encrypted direct entry: `pack` into a `sends` frame with
 * others, `alone` as its own `send` frame, or none (`failed`, marked so).
 */
type DirectSend = { kind: 'failed' } | { kind: 'alone'; frame: ClientSendFrame } | { kind: 'pack'; frame: ClientSendFrame; bytes: number };

/** Returns the `send` frame of a direct outbox entry. */
function sendFrameOf(entry: OutboxEntry, envelope: Envelope): ClientSendFrame {
  const content = { type: 'e2e', envelope } as const;
  // A sender key names its group, so that the edge checks co-membership instead of the relation.
  const senderKeyGroup = entry.content.type === 'sender_key' ? { groupId: entry.content.distribution.groupId } : {};
  return { type: 'send', cid: entry.cid, to: entry.to, content, ...senderKeyGroup };
}
