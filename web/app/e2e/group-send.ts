// Sending with sender keys (web/app/crypto/sender-key.ts). Each device has
// one own key per group. Before a message goes out, every member device that
// has not been sent the current key gets it as a `sender_key` control message
// through the 1:1 outbox, and the message waits until the outbox has sent
// them: the 1:1 sends reach inboxes directly, the group message through the
// group's fan-out, so a key sent first arrives first. The caller holds the
// group's send lock (groupSendLockName), so one device encrypts one message
// of a group at a time.
//
// The outbox flush calls this while it sends the outbox, one entry after the
// other, so it cannot send distributions queued during that call in the same
// pass. A call that queues distributions therefore puts them at the front of
// the outbox, requests another flush and fails with DistributionPendingError.
// The next pass sends them first, and the next call waits for their acks.

import { directConversationId } from '../../../protocol/frames';
import { createSenderKey, distributionOf, encryptGroupMessage } from '../crypto/sender-key';
import type { GroupCryptoStore, OwnSenderKeyRecord } from '../crypto/sender-key-store';
import type { FeigeDb, OutboxEntry } from '../store/db';
import { listOutbox } from '../store/outbox';
import { CONTROL_CID_PREFIX } from '../store/records';
import type { DeviceLists } from './device-lists';
import type { GroupE2eContent } from './group-crypto';

/** How long a group send waits for its key distributions to leave the outbox before it fails and is retried. */
export const SENDER_KEY_DISTRIBUTION_WAIT_MS = 10_000;

/** Interval at which a group send looks whether its key distributions left the outbox. */
export const SENDER_KEY_DISTRIBUTION_POLL_MS = 100;

export interface GroupSendContext {
  me: string;
  ownDeviceId: string;
  store: GroupCryptoStore;
  db: FeigeDb;
  devices: DeviceLists;
  /** User ids of the group's current members. */
  groupMembers(groupId: string): Promise<string[]>;
  /** Asks the socket client to send the outbox now. */
  flush(): void;
}

/** The sender-key distributions of a group send are queued or not yet acknowledged; the send is tried again after a flush. */
export class DistributionPendingError extends Error {
  override readonly name = 'DistributionPendingError';
}

/** Returns the name of the Web Lock a device holds while it encrypts a message for a group. */
export function groupSendLockName(groupId: string): string {
  return `feige-group-send-${groupId}`;
}

/** Encrypts a text for the group, first handing the current sender key to member devices that lack it. */
export async function sealGroupText(context: GroupSendContext, groupId: string, text: string): Promise<GroupE2eContent> {
  const record = await currentKey(context, groupId);
  const queued = await distribute(context, record);
  if (queued > 0) {
    context.flush();
    throw new DistributionPendingError(`queued ${queued} sender-key distributions for group ${groupId}; send again once the outbox sent them`);
  }
  await waitForDistributions(context, groupId);

  const latest = (await context.store.getOwnSenderKey(groupId)) ?? record;
  const { content, key } = await encryptGroupMessage(latest.key, { kind: 'text', text });

  // The advanced chain is stored before the ciphertext leaves, so no iteration is used twice.
  await context.store.updateOwnSenderKey(groupId, (stored) => (stored.key.keyId === key.keyId ? { ...stored, key } : stored));
  return content;
}

/** Marks the own key stale after a member left or was removed, so the next send makes a new key for the current members only. */
export async function markSenderKeyStale(store: GroupCryptoStore, groupId: string): Promise<void> {
  await store.updateOwnSenderKey(groupId, (stored) => ({ ...stored, stale: true }));
}

/** Returns the key to send with, making a new one when there is none, it is stale, or it belongs to an earlier device id. */
async function currentKey(context: GroupSendContext, groupId: string): Promise<OwnSenderKeyRecord> {
  const stored = await context.store.getOwnSenderKey(groupId);
  if (stored && !stored.stale && stored.key.senderDevice === context.ownDeviceId) return stored;

  const fresh: OwnSenderKeyRecord = {
    groupId,
    key: await createSenderKey(groupId, context.ownDeviceId),
    stale: false,
    sentTo: [],
    pendingCids: [],
  };
  await context.store.putOwnSenderKey(fresh);
  console.info('[e2e] made a new sender key', { groupId, keyId: fresh.key.keyId });
  return fresh;
}

/**
 * Queues one distribution per member whose devices lack the key and returns
 * how many. The edge requires each 1:1 envelope to address the recipient's
 * devices and the sender's other devices, so every distribution also reaches
 * this user's other devices. A user alone with their own devices sends it to
 * themselves.
 */
async function distribute(context: GroupSendContext, record: OwnSenderKeyRecord): Promise<number> {
  const sentTo = new Set(record.sentTo);
  const listOf = (userId: string) => (sentTo.size === 0 ? context.devices.refresh(userId) : context.devices.get(userId));

  const members = (await context.groupMembers(record.groupId)).filter((userId) => userId !== context.me);
  const [own, ...lists] = await Promise.all([listOf(context.me), ...members.map(listOf)]);
  const ownOthers = own!.map((device) => device.deviceId).filter((deviceId) => deviceId !== context.ownDeviceId);

  const recipients: string[] = [];
  const reached = new Set(ownOthers);
  members.forEach((userId, index) => {
    const deviceIds = lists[index]!.map((device) => device.deviceId);
    if (deviceIds.every((deviceId) => sentTo.has(deviceId))) return;
    recipients.push(userId);
    for (const deviceId of deviceIds) reached.add(deviceId);
  });
  if (recipients.length === 0 && ownOthers.some((deviceId) => !sentTo.has(deviceId))) recipients.push(context.me);
  if (recipients.length === 0) return 0;

  const distribution = distributionOf(record.key);
  const entries = recipients.map((userId): OutboxEntry => ({
    cid: CONTROL_CID_PREFIX + crypto.randomUUID(),
    to: userId,
    conversationId: directConversationId(context.me, userId),
    content: { type: 'sender_key', distribution },
    createdAt: Date.now(),
  }));
  await queueAtFront(context.db, entries);
  const cids = entries.map((entry) => entry.cid);

  // TODO: devices count as having the key once it is queued; one whose distribution the edge rejects for good gets it only after the next rotation.
  await context.store.updateOwnSenderKey(record.groupId, (stored) => {
    if (stored.key.keyId !== record.key.keyId) return stored;
    return { ...stored, sentTo: [...new Set([...stored.sentTo, ...reached])], pendingCids: [...stored.pendingCids, ...cids] };
  });
  return entries.length;
}

/**
 * Adds control entries before every queued entry, in the given order, so the
 * next flush sends them before the group message that needs them. Outbox keys
 * are numbers, and keys below the auto-increment counter leave it unchanged.
 */
async function queueAtFront(db: FeigeDb, entries: readonly OutboxEntry[]): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  const first = await tx.store.openCursor();
  const start = (first ? Number(first.key) : 1) - entries.length;
  for (const [index, entry] of entries.entries()) await tx.store.add({ ...entry, order: start + index });
  await tx.done;
}

/** Flushes the outbox and waits until the key's queued distributions have left it (acknowledged, or rejected for good). */
async function waitForDistributions(context: GroupSendContext, groupId: string): Promise<void> {
  const pending = (await context.store.getOwnSenderKey(groupId))?.pendingCids ?? [];
  if (pending.length === 0) return;

  context.flush();
  const deadline = Date.now() + SENDER_KEY_DISTRIBUTION_WAIT_MS;
  for (;;) {
    const queued = new Set((await listOutbox(context.db)).map((entry) => entry.cid));
    const left = pending.filter((cid) => queued.has(cid));
    if (left.length === 0) break;
    if (Date.now() > deadline) {
      throw new DistributionPendingError(
        `${left.length} sender-key distributions for group ${groupId} are still in the outbox after ${SENDER_KEY_DISTRIBUTION_WAIT_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, SENDER_KEY_DISTRIBUTION_POLL_MS));
  }

  const sent = new Set(pending);
  await context.store.updateOwnSenderKey(groupId, (stored) => ({
    ...stored,
    pendingCids: stored.pendingCids.filter((cid) => !sent.has(cid)),
  }));
}
