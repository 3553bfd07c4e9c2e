// This browser's device for one account: its identity and prekeys in the
// account's crypto database, and its registration in the key directory.
// The identity is made once per account per browser and kept across
// sign-outs, so signing in again binds the same device to the new session.

import {
  ONE_TIME_PREKEYS_LOW_THRESHOLD,
  ONE_TIME_PREKEYS_PER_DEVICE_MAX,
  ONE_TIME_PREKEYS_UPLOAD_MAX,
} from '../../../protocol/limits';
import type { CryptoStore, StoredIdentity } from '../crypto/crypto-store';
import {
  generateDeviceIdentity,
  generateOneTimePreKeys,
  generateSignedPreKey,
  type DeviceIdentity,
  type SignedPreKey,
} from '../crypto/identity';
import { identityKeysToWire, preKeyToWire } from '../crypto/prekey-bundle';
import { ApiError } from '../net/http';
import type { KeyDirectory } from './key-directory';

/** Counter names in the crypto store. Prekey ids must never repeat, because a peer may still name an old one. */
export const SIGNED_PREKEY_ID_COUNTER = 'signedPreKeyId';
export const NEXT_ONE_TIME_PREKEY_ID_COUNTER = 'nextOneTimePreKeyId';

const FIRST_SIGNED_PREKEY_ID = 1;

/**
 * Makes sure this browser has a device identity for the account and that the
 * directory binds it to the current session, then tops up one-time prekeys.
 * Returns the device id. Callers run it under a lock shared by the
 * account's tabs, so two tabs never register two devices.
 */
export async function ensureDevice(store: CryptoStore, directory: KeyDirectory): Promise<string> {
  const stored = await store.getIdentity();
  const outcome = stored ? await refreshDevice(store, directory, stored) : await registerDevice(store, directory);

  await topUpPreKeys(store, directory, outcome.preKeyCount);
  return outcome.deviceId;
}

/** Uploads a batch of one-time prekeys when the directory has fewer than ONE_TIME_PREKEYS_LOW_THRESHOLD. */
export async function topUpPreKeys(store: CryptoStore, directory: KeyDirectory, known?: number): Promise<void> {
  const count = known ?? (await directory.countPreKeys());
  if (count >= ONE_TIME_PREKEYS_LOW_THRESHOLD) return;

  const own = await store.getIdentity();
  if (!own) throw new Error('this browser has no device identity yet; register the device first');

  const batch = Math.min(ONE_TIME_PREKEYS_UPLOAD_MAX, ONE_TIME_PREKEYS_PER_DEVICE_MAX - count);
  const keys = await reserveOneTimePreKeys(store, own.identity, batch);
  const stored = await directory.uploadPreKeys(keys.map(preKeyToWire));
  console.info('[e2e] uploaded one-time prekeys', { uploaded: batch, stored });
}

interface Registration {
  deviceId: string;
  preKeyCount: number;
}

async function registerDevice(
  store: CryptoStore,
  directory: KeyDirectory,
  existing?: { identity: DeviceIdentity; signedPreKey: SignedPreKey },
): Promise<Registration> {
  const identity = existing?.identity ?? (await generateDeviceIdentity());
  const signedPreKey = existing?.signedPreKey ?? (await generateSignedPreKey(identity, FIRST_SIGNED_PREKEY_ID));
  await store.putSignedPreKey(signedPreKey);
  await store.putCounter(SIGNED_PREKEY_ID_COUNTER, signedPreKey.id);
  const preKeys = await reserveOneTimePreKeys(store, identity, ONE_TIME_PREKEYS_UPLOAD_MAX);

  const response = await directory.registerDevice({
    identity: identityKeysToWire(identity.publicKeys),
    signedPreKey: preKeyToWire(signedPreKey),
    oneTimePreKeys: preKeys.map(preKeyToWire),
  });

  // Stored only now: a registration that never reached the directory leaves
  // no identity behind, and the next attempt starts over.
  await store.putIdentity({ deviceId: response.deviceId, identity });
  console.info('[e2e] registered this device', { deviceId: response.deviceId });
  return { deviceId: response.deviceId, preKeyCount: response.oneTimePreKeyCount };
}

async function refreshDevice(store: CryptoStore, directory: KeyDirectory, stored: StoredIdentity): Promise<Registration> {
  const signedPreKey = await currentSignedPreKey(store, stored.identity);

  try {
    const response = await directory.registerDevice({
      deviceId: stored.deviceId,
      identity: identityKeysToWire(stored.identity.publicKeys),
      signedPreKey: preKeyToWire(signedPreKey),
    });
    return { deviceId: response.deviceId, preKeyCount: response.oneTimePreKeyCount };
  } catch (error) {
    // The directory removes signed-out devices when a user reaches
    // DEVICES_PER_USER_MAX; this browser then registers its keys under a new id.
    if (!(error instanceof ApiError) || error.details.code !== 'not_found') throw error;
    console.info('[e2e] the directory forgot this device; registering it again', { deviceId: stored.deviceId });
    return registerDevice(store, directory, { identity: stored.identity, signedPreKey });
  }
}

// TODO: rotate the signed prekey (for example monthly, keeping the previous one for late prekey messages); each device now keeps its first one.
async function currentSignedPreKey(store: CryptoStore, identity: DeviceIdentity): Promise<SignedPreKey> {
  const id = await store.getCounter(SIGNED_PREKEY_ID_COUNTER);
  const existing = id === undefined ? undefined : await store.getSignedPreKey(id);
  if (existing) return existing;

  const replacement = await generateSignedPreKey(identity, (id ?? 0) + 1);
  await store.putSignedPreKey(replacement);
  await store.putCounter(SIGNED_PREKEY_ID_COUNTER, replacement.id);
  return replacement;
}

/** Generates `count` one-time prekeys under fresh ids and stores their private halves before anyone can see them. */
async function reserveOneTimePreKeys(store: CryptoStore, identity: DeviceIdentity, count: number) {
  const first = (await store.getCounter(NEXT_ONE_TIME_PREKEY_ID_COUNTER)) ?? 1;
  await store.putCounter(NEXT_ONE_TIME_PREKEY_ID_COUNTER, first + count);

  const keys = await generateOneTimePreKeys(identity, first, count);
  await store.putOneTimePreKeys(keys);
  return keys;
}
