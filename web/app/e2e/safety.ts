// The safety number of a conversation, from both users' active devices as
// the key directory lists them: the same keys this browser encrypts to.

import type { DeviceIdentity } from '../../../protocol/devices';
import { fromBase64Url } from '../crypto/bytes';
import { formatSafetyNumber, safetyNumber } from '../crypto/safety-number';
import type { KeyDirectory } from './key-directory';

/**
 * Returns the 12 groups of 5 digits for a conversation between `me` and
 * `peerId`, or null when either user has no signed-in device and so no keys
 * to compare.
 */
export async function conversationSafetyNumber(
  directory: KeyDirectory,
  me: string,
  peerId: string,
): Promise<string[] | null> {
  const [mine, theirs] = await Promise.all([directory.listDevices(me), directory.listDevices(peerId)]);
  if (mine.length === 0 || theirs.length === 0) return null;

  const digits = await safetyNumber(
    { userId: me, identityKeys: signingKeys(mine) },
    { userId: peerId, identityKeys: signingKeys(theirs) },
  );
  return formatSafetyNumber(digits);
}

function signingKeys(devices: readonly DeviceIdentity[]) {
  return devices.map((device) => fromBase64Url(device.identity.signingKey));
}
