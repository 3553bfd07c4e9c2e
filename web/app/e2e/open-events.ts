// Decryption of the message events of a live push or a sync page, before
// they are written to the account's database. Each message is decrypted
// exactly once per browser. Attempts run under a Web Lock per sender device.
// A second attempt, from another tab or after a crash, reads the receipt
// written with the ratchet step (web/app/crypto/session-store.ts), and an
// event the database already contains is skipped.

import type { InboxEvent } from '../../../protocol/frames';
import type { CryptoStore } from '../crypto/crypto-store';
import { decryptEnvelope, readReceipt, type DecryptedEnvelope } from '../crypto/decrypt-envelope';
import { DecryptError, InvalidPayloadError } from '../crypto/errors';
import { toBase64Url } from '../crypto/bytes';
import type { LockRunner } from '../net/socket-io';
import { readLastSeq, type FeigeDb, type ReceivedContent } from '../store/db';

type MessageEvent = Extract<InboxEvent, { kind: 'message' }>;

/** A device whose message did not decrypt, for a session restart. */
export interface BrokenSession {
  userId: string;
  deviceId: string;
}

/** A sender device's identity keys as a decrypted message showed them, to compare with the device list. */
export interface SeenIdentity {
  userId: string;
  deviceId: string;
  signingKey: string;
  changed: boolean;
}

export interface OpenedEvents {
  /** Content by message id, for the messages this call decrypted or could not; others are resolved when applied. */
  contents: Map<string, ReceivedContent>;
  /** Receipts to delete once the events are stored. */
  receiptKeys: string[];
  broken: BrokenSession[];
  seen: SeenIdentity[];
}

export interface OpenContext {
  me: string;
  ownDeviceId: string;
  store: CryptoStore;
  db: FeigeDb;
  withLock: LockRunner;
}

/** Lock name per sender device; it nests the library's `feige-crypto-<device>` lock and must differ from it. */
export function receiveLockName(senderDevice: string): string {
  return `feige-receive-${senderDevice}`;
}

export async function openEvents(context: OpenContext, events: readonly InboxEvent[]): Promise<OpenedEvents> {
  const opened: OpenedEvents = { contents: new Map(), receiptKeys: [], broken: [], seen: [] };

  for (const event of events) {
    if (event.kind !== 'message' || event.message.content.type !== 'e2e') continue;
    if (event.message.content.envelope.senderDevice === context.ownDeviceId) continue;

    const senderDevice = event.message.content.envelope.senderDevice;
    await context.withLock(receiveLockName(senderDevice), () => openOne(context, event, opened));
  }
  return opened;
}

async function openOne(context: OpenContext, event: MessageEvent, opened: OpenedEvents): Promise<void> {
  const { message } = event;
  if (message.content.type !== 'e2e') return;
  const envelope = message.content.envelope;

  let decrypted: DecryptedEnvelope | undefined;
  try {
    // The receipt first, then lastSeq: a tab that stored this event deleted
    // the receipt only after its write committed, so one of the two shows it.
    decrypted = await readReceipt(context.store, message.id);
    if (decrypted) {
      opened.receiptKeys.push(message.id);
    } else {
      if (event.seq <= (await readLastSeq(context.db))) return;
      decrypted = await decryptEnvelope(context.store, envelope, { receiptKey: message.id });
      opened.receiptKeys.push(message.id);
    }
  } catch (error) {
    opened.contents.set(message.id, unreadable(error, message.id, envelope.senderDevice));
    if (needsRepair(error)) opened.broken.push({ userId: message.from, deviceId: envelope.senderDevice });
    return;
  }

  opened.contents.set(message.id, receivedContent(decrypted));
  opened.seen.push({
    userId: message.from,
    deviceId: decrypted.senderDevice,
    signingKey: toBase64Url(decrypted.senderIdentity.signingKey),
    changed: decrypted.identityChanged,
  });
}

function receivedContent(decrypted: DecryptedEnvelope): ReceivedContent {
  const payload = decrypted.payload;
  switch (payload.kind) {
    case 'text':
      return { type: 'text', text: payload.text };
    case 'session_reset':
      return { type: 'control' };
    case 'sender_key':
      // TODO: store the group sender key (web/app/crypto/sender-key.ts); group chats do not use them yet.
      return { type: 'control' };
    default: {
      const unreachable: never = payload;
      throw new Error(`unknown payload ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Turns a decrypt failure into the placeholder the chat shows; other failures are raised. */
function unreadable(error: unknown, messageId: string, senderDevice: string): ReceivedContent {
  if (error instanceof DecryptError && error.reason === 'not_for_this_device') {
    return { type: 'unavailable', reason: 'not_for_this_device' };
  }
  if (error instanceof DecryptError || error instanceof InvalidPayloadError) {
    console.warn('[e2e] a message did not decrypt', { messageId, senderDevice, error: error.message });
    return { type: 'unavailable', reason: 'undecryptable' };
  }
  throw error;
}

/** Failures that a fresh session fixes; a message for other devices or from a newer app version is not one. */
function needsRepair(error: unknown): boolean {
  if (error instanceof InvalidPayloadError) return false;
  if (!(error instanceof DecryptError)) return false;
  return error.reason !== 'not_for_this_device' && error.reason !== 'unsupported_version';
}
