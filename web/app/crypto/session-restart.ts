// Repair of a session that stopped working, for example because one side
// lost its state. The device that failed to decrypt starts a new session
// with the sender, so its next message to that device is a prekey message.
// The sender takes that session as its current one, and its following
// messages decrypt again. Older sessions stay for messages already under way.

import { requireIdentity, type CryptoStore } from './crypto-store';
import { startSession } from './encrypt-envelope';
import { verifyPreKeyBundle } from './prekey-bundle';

/**
 * Starts a new session with `device` from `bundle` (JSON as the server sent
 * it, checked here) and makes it the current one.
 */
export async function restartSession(store: CryptoStore, device: string, bundle: unknown): Promise<void> {
  const own = await requireIdentity(store);
  const verified = await verifyPreKeyBundle(bundle);

  await store.updatePeerRecord(device, async (current) => ({
    record: await startSession(own, device, verified, current),
    result: undefined,
  }));
}

/**
 * Returns whether this device started its current session with `device` and
 * has not yet received a message under it: a restart is then already on its
 * way, and another would only replace it.
 */
export async function awaitingReply(store: CryptoStore, device: string): Promise<boolean> {
  const current = (await store.getPeerRecord(device))?.sessions[0];
  return current !== undefined && current.pendingPreKey !== null;
}
