// Receiving with sender keys: storing the keys other member devices hand
// over in `sender_key` payloads, decrypting `group_e2e` messages with them,
// and dropping keys when members leave. A key is bound to the user whose
// authenticated 1:1 session delivered it, so a group message opens only when
// its `from` is that user.

import type { GroupMessage } from '../../../protocol/groups';
import { DecryptError, InvalidPayloadError } from '../crypto/errors';
import { decodePayload, encodePayload, type Payload } from '../crypto/payload';
import { acceptDistribution, decryptGroupMessage, type SenderKeyDistribution } from '../crypto/sender-key';
import { addPeerKey, addReceipt, type GroupCryptoStore } from '../crypto/sender-key-store';
import type { LockRunner } from '../net/socket-io';
import type { ReceivedContent } from '../store/db';

export interface GroupOpenContext {
  ownDeviceId: string;
  store: GroupCryptoStore;
  withLock: LockRunner;
}

const UNDECRYPTABLE: ReceivedContent = { type: 'unavailable', reason: 'undecryptable' };

/** Lock name per group and sender device, shared by storing that device's keys and decrypting its messages. */
export function groupReceiveLockName(groupId: string, senderDevice: string): string {
  return `feige-receive-group-${groupId}-${senderDevice}`;
}

/**
 * Stores a sender key that `senderUser`'s device `senderDevice` sent over an
 * authenticated 1:1 session. A distribution naming another device than the
 * one that sent it is ignored, so no member can plant a key for someone else's device.
 */
export async function storeDistribution(
  context: GroupOpenContext,
  senderUser: string,
  senderDevice: string,
  distribution: SenderKeyDistribution,
): Promise<void> {
  if (distribution.senderDevice !== senderDevice) {
    console.warn('[e2e] ignored a sender key for another device', { senderUser, senderDevice, named: distribution.senderDevice });
    return;
  }

  const { groupId } = distribution;
  await context.withLock(groupReceiveLockName(groupId, senderDevice), async () => {
    const existing = await context.store.getPeerSenderKeys(groupId, senderDevice);
    const sameUser = existing?.senderUser === senderUser;
    await context.store.putPeerSenderKeys({
      groupId,
      senderDevice,
      senderUser,
      keys: addPeerKey(sameUser ? existing.keys : [], acceptDistribution(distribution)),
      receipts: sameUser ? existing.receipts : new Map(),
    });
  });
}

/**
 * Opens one group message. Returns null for this device's own messages, whose
 * text the outbox keeps, and for a message that `alreadyStored` reports. The
 * `text` content of transport-encrypted groups passes as it is.
 */
export async function openGroupMessage(
  context: GroupOpenContext,
  message: GroupMessage,
  alreadyStored: () => Promise<boolean> = async () => false,
): Promise<ReceivedContent | null> {
  const content = message.content;
  if (content.type === 'text') return { type: 'text', text: content.text };
  if (content.senderDevice === context.ownDeviceId) return null;

  let opened: ReceivedContent | null = UNDECRYPTABLE;
  await context.withLock(groupReceiveLockName(message.groupId, content.senderDevice), async () => {
    const record = await context.store.getPeerSenderKeys(message.groupId, content.senderDevice);
    if (!record || record.senderUser !== message.from) {
      console.warn('[e2e] no sender key for a group message', { messageId: message.id, senderDevice: content.senderDevice });
      return;
    }

    const receipt = record.receipts.get(message.id);
    if (receipt) {
      opened = shownContent(decodePayload(receipt));
      return;
    }
    if (await alreadyStored()) {
      opened = null;
      return;
    }

    const index = record.keys.findIndex((key) => key.keyId === content.keyId);
    const key = record.keys[index];
    if (!key) {
      console.warn('[e2e] a group message names an unknown sender key', { messageId: message.id, keyId: content.keyId });
      return;
    }

    try {
      const { payload, record: advanced } = await decryptGroupMessage(key, message.groupId, content);
      const keys = record.keys.map((candidate, at) => (at === index ? advanced : candidate));
      const receipts = addReceipt(record.receipts, message.id, encodePayload(payload));
      await context.store.putPeerSenderKeys({ ...record, keys, receipts });
      opened = shownContent(payload);
    } catch (error) {
      if (!(error instanceof DecryptError || error instanceof InvalidPayloadError)) throw error;
      console.warn('[e2e] a group message did not decrypt', { messageId: message.id, error: error.message });
    }
  });
  return opened;
}

/** Drops the keys of a group this device's user left, was removed from, or that was dissolved. */
export async function forgetGroup(store: GroupCryptoStore, groupId: string): Promise<void> {
  await store.deleteOwnSenderKey(groupId);
  await store.deletePeerSenderKeys(groupId);
}

/** Only texts travel in group messages; any other payload is shown as undecryptable. */
function shownContent(payload: Payload): ReceivedContent {
  switch (payload.kind) {
    case 'text':
      return { type: 'text', text: payload.text };
    case 'session_reset':
    case 'sender_key':
      return UNDECRYPTABLE;
    default: {
      const unreachable: never = payload;
      throw new Error(`unknown payload ${JSON.stringify(unreachable)}`);
    }
  }
}
