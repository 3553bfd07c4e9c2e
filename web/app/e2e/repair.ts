// Repair of a session after a message from a device did not decrypt. This
// device starts a new session with the sender and queues a `session_reset`
// control message to the sender's user. The sender's device receives it as a
// prekey message and makes that session current, so its next messages
// decrypt here again. Nothing shows in either chat for the control message.

import { directConversationId } from '../../../protocol/frames';
import type { CryptoStore } from '../crypto/crypto-store';
import { awaitingReply, restartSession } from '../crypto/session-restart';
import type { LockRunner } from '../net/socket-io';
import type { FeigeDb } from '../store/db';
import { queueControlMessage } from '../store/outbox';
import { CONTROL_CID_PREFIX } from '../store/records';
import type { DeviceLists } from './device-lists';
import type { BrokenSession } from './open-events';
import { checkBundleIdentity, type KeyDirectory } from './key-directory';

export interface RepairContext {
  me: string;
  store: CryptoStore;
  db: FeigeDb;
  directory: KeyDirectory;
  devices: DeviceLists;
  withLock: LockRunner;
}

/**
 * Restarts the session with a device unless an earlier restart still waits
 * for the device's reply, and queues the control message that carries the
 * new session. Returns whether a control message was queued.
 */
export async function repairSession(context: RepairContext, broken: BrokenSession): Promise<boolean> {
  let queued = false;

  await context.withLock(`feige-repair-${broken.deviceId}`, async () => {
    if (await awaitingReply(context.store, broken.deviceId)) return;

    const bundles = await context.directory.claimBundles([broken.userId], [broken.deviceId]);
    const claimed = bundles.find((entry) => entry.deviceId === broken.deviceId);
    if (!claimed) {
      console.info('[e2e] the device of an undecryptable message is signed out; nothing to repair', broken);
      return;
    }

    const listed = (await context.devices.refresh(broken.userId)).find((device) => device.deviceId === broken.deviceId);
    checkBundleIdentity(listed, claimed);
    await restartSession(context.store, broken.deviceId, claimed.bundle);
    await queueControlMessage(context.db, {
      cid: CONTROL_CID_PREFIX + crypto.randomUUID(),
      to: broken.userId,
      conversationId: directConversationId(context.me, broken.userId),
      content: { type: 'session_reset' },
      createdAt: Date.now(),
    });
    queued = true;
    console.info('[e2e] restarted a session after a decrypt failure', broken);
  });
  return queued;
}
