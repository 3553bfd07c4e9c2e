// Decryption of the message events of a live push or a sync page, before
// they are written to the account's database. Each message is decrypted
// exactly once per browser. Attempts run under a Web Lock per sender device.
// A second attempt, from another tab or after a crash, reads the receipt
// written with the ratchet step (web/app/crypto/session-store.ts), and an
// event the database already contains is skipped. Group messages decrypt
// with sender keys (group-open.ts), and group changes that remove a member
// rotate this device's sender key for the group.

import type { InboxEvent } from '../../../protocol/frames';
import type { GroupCryptoStore } from '../crypto/sender-key-store';
import type { DecryptedEnvelope } from '../crypto/decrypt-envelope';
import { DecryptError, InvalidPayloadError } from '../crypto/errors';
import { toBase64Url } from '../crypto/bytes';
import type { LockRunner } from '../net/socket-io';
import { readLastSeq, type FeigeDb, type ReceivedContent } from '../store/db';
import { forgetGroup, openGroupMessage, storeDistribution } from './group-open';
import { openFromSender, type DirectMessage, type DirectOpener, type DirectOutcome } from './open-direct';

type MessageEvent = Extract<InboxEvent, { kind: 'message' }>;
type GroupEvent = Extract<InboxEvent, { kind: 'group' }>;

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
  store: GroupCryptoStore;
  db: FeigeDb;
  withLock: LockRunner;
  /** Another member left or was removed from the group: the own sender key must not be used again. */
  groupMembersRemoved(groupId: string): Promise<void>;
  /** The group's member list changed. */
  groupMembersChanged(groupId: string): void;
  /** Opens 1:1 messages off the page (decrypt-worker.ts); without it they open here, with `store`. */
  openDirect?: DirectOpener;
}

/** Lock name per sender device; it nests the library's `feige-crypto-<device>` lock and must differ from it. */
export function receiveLockName(senderDevice: string): string {
  return `feige-receive-${senderDevice}`;
}

export async function openEvents(context: OpenContext, events: readonly InboxEvent[]): Promise<OpenedEvents> {
  const opened: OpenedEvents = { contents: new Map(), receiptKeys: [], broken: [], seen: [] };
  // Consecutive 1:1 messages decrypt together, per sender device.
  let run: MessageEvent[] = [];

  // In order: a sender key arrives in the inbox before the group messages it opens.
  for (const event of events) {
    if (event.kind !== 'message' && run.length > 0) {
      await openDirectRun(context, run, opened);
      run = [];
    }
    switch (event.kind) {
      case 'message':
        run.push(event);
        break;
      case 'group.message': {
        const content = await openGroupMessage(context, event.message, async () => event.seq <= (await readLastSeq(context.db)));
        if (content) opened.contents.set(event.message.id, content);
        break;
      }
      case 'group':
        await applyGroupChange(context, event);
        break;
      case 'read':
      case 'follow':
      case 'friend':
      case 'settings':
        break;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown inbox event ${JSON.stringify(unreachable)}`);
      }
    }
  }
  if (run.length > 0) await openDirectRun(context, run, opened);
  return opened;
}

/**
 * Decrypts a run of 1:1 message events. Each sender device has a ratchet of
 * its own, so the devices' messages decrypt in parallel, each device's in
 * one batch under its receive lock. The results are recorded in event order.
 */
async function openDirectRun(context: OpenContext, events: readonly MessageEvent[], opened: OpenedEvents): Promise<void> {
  const bySender = new Map<string, MessageEvent[]>();
  for (const event of events) {
    const content = event.message.content;
    if (content.type !== 'e2e') continue;
    const senderDevice = content.envelope.senderDevice;
    if (senderDevice === context.ownDeviceId) continue;

    const list = bySender.get(senderDevice);
    if (list) list.push(event);
    else bySender.set(senderDevice, [event]);
  }

  const outcomes = new Map<string, SenderOutcome>();
  const open: DirectOpener =
    context.openDirect ?? ((senderDevice, messages) => openFromSender(context.store, () => readLastSeq(context.db), senderDevice, messages));
  await Promise.all(
    [...bySender].map(([senderDevice, list]) =>
      context.withLock(receiveLockName(senderDevice), async () => {
        const results = await open(senderDevice, list.map(directMessage));
        results.forEach((outcome, index) => outcomes.set(list[index]!.message.id, { ...outcome, senderDevice }));
      }),
    ),
  );
  for (const event of events) {
    const outcome = outcomes.get(event.message.id);
    if (outcome) await recordOutcome(context, event, outcome, opened);
  }
}

type SenderOutcome = DirectOutcome & { senderDevice: string };

function directMessage(event: MessageEvent): DirectMessage {
  const content = event.message.content;
  return { id: event.message.id, seq: event.seq, envelope: content.type === 'e2e' ? content.envelope : undefined };
}

async function recordOutcome(
  context: OpenContext,
  event: MessageEvent,
  outcome: SenderOutcome,
  opened: OpenedEvents,
): Promise<void> {
  const { message } = event;
  switch (outcome.kind) {
    case 'stored':
      return;
    case 'failed':
      opened.contents.set(message.id, unreadable(outcome.error, message.id, outcome.senderDevice));
      if (needsRepair(outcome.error)) opened.broken.push({ userId: message.from, deviceId: outcome.senderDevice });
      return;
    case 'decrypted':
      break;
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown decrypt outcome ${JSON.stringify(unreachable)}`);
    }
  }

  const decrypted = outcome.decrypted;
  opened.receiptKeys.push(message.id);
  const payload = decrypted.payload;
  if (payload.kind === 'sender_key') await storeDistribution(context, message.from, decrypted.senderDevice, payload);
  opened.contents.set(message.id, receivedContent(decrypted));
  opened.seen.push({
    userId: message.from,
    deviceId: decrypted.senderDevice,
    signingKey: toBase64Url(decrypted.senderIdentity.signingKey),
    changed: decrypted.identityChanged,
  });
}

/**
 * Keeps the sender keys in step with membership. Another member's removal
 * makes the own key stale and drops the keys that member sent. This user's
 * own removal, or the group's dissolution, drops every key of the group.
 */
async function applyGroupChange(context: OpenContext, event: GroupEvent): Promise<void> {
  // Another tab stored this change and maybe a later key of the same member, which a second removal would drop.
  if (event.seq <= (await readLastSeq(context.db))) return;

  const change = event.change;
  switch (change.type) {
    case 'left':
    case 'kicked':
      context.groupMembersChanged(event.groupId);
      if (change.userId === context.me) return forgetGroup(context.store, event.groupId);
      await context.groupMembersRemoved(event.groupId);
      return context.store.deletePeerSenderKeys(event.groupId, change.userId);
    case 'dissolved':
      context.groupMembersChanged(event.groupId);
      return forgetGroup(context.store, event.groupId);
    case 'joined':
      context.groupMembersChanged(event.groupId);
      return;
    case 'created':
    case 'role_changed':
    case 'owner_transferred':
    case 'info_changed':
    case 'application':
    case 'application_result':
      return;
    default: {
      const unreachable: never = change;
      throw new Error(`unknown group change ${JSON.stringify(unreachable)}`);
    }
  }
}

function receivedContent(decrypted: DecryptedEnvelope): ReceivedContent {
  const payload = decrypted.payload;
  switch (payload.kind) {
    case 'text':
      return { type: 'text', text: payload.text };
    case 'session_reset':
      return { type: 'control' };
    case 'sender_key':
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
