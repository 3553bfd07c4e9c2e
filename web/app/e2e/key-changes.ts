// Trust on first use for each contact's device keys. The first list seen for
// a contact is remembered. A later list may have other identity keys, because
// the contact added, replaced or removed a device, or because a server
// substituted a key. Then the new keys are remembered and the conversation
// gets a `key_change` notice, which the chat shows before the next message.

import type { DeviceIdentity } from '../../../protocol/devices';
import { directConversationId } from '../../../protocol/frames';
import { runAtomically } from '../store/apply-events';
import type { FeigeDb, StoredMessage } from '../store/db';

/** Prefix of the local key of a notice record; the server never makes such ids. */
export const NOTICE_KEY_PREFIX = 'notice:';

/** Returns the identity signing keys of a device list, sorted so that equal sets compare equal. */
export function signingKeysOf(devices: readonly DeviceIdentity[]): string[] {
  return devices.map((device) => device.identity.signingKey).sort();
}

/**
 * Compares a contact's current devices with the remembered ones and returns
 * whether it added a notice. An empty list (the contact is signed out
 * everywhere) shows no keys and is not remembered, so signing in
 * again with the same browser shows no notice.
 */
export async function noteContactDevices(
  db: FeigeDb,
  me: string,
  contactId: string,
  devices: readonly DeviceIdentity[],
  now: number,
): Promise<boolean> {
  if (contactId === me || devices.length === 0) return false;

  const signingKeys = signingKeysOf(devices);
  const tx = db.transaction(['identities', 'messages'], 'readwrite');
  return runAtomically(tx, async () => {
    const identities = tx.objectStore('identities');
    const known = await identities.get(contactId);
    if (known && sameKeys(known.signingKeys, signingKeys)) return false;

    await identities.put({ userId: contactId, signingKeys, updatedAt: now });
    if (!known) return false;

    const key = `${NOTICE_KEY_PREFIX}${crypto.randomUUID()}`;
    const notice: StoredMessage = {
      key,
      id: null,
      cid: key,
      conversationId: directConversationId(me, contactId),
      from: contactId,
      to: me,
      content: { type: 'key_change' },
      ts: now,
      status: 'sent',
    };
    await tx.objectStore('messages').put(notice);
    return true;
  });
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, index) => key === b[index]);
}
