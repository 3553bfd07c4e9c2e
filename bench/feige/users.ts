// Bench users on Feige, made the way the PWA makes them: an account, one
// device with real X25519/Ed25519 keys from web/app/crypto, and message
// privacy `everyone` so that any bench user may message any other.

import { generateDeviceIdentity, generateOneTimePreKeys, generateSignedPreKey } from '../../web/app/crypto/identity';
import { identityKeysToWire, preKeyToWire } from '../../web/app/crypto/prekey-bundle';
import { registerAccount, registerDevice, updateSettings } from './api';
import { MemoryCryptoStore } from './memory-crypto-store';

/** One-time prekeys each bench device uploads; each new sender to it spends one. */
const ONE_TIME_PREKEYS_PER_DEVICE = 10;

export const BENCH_PASSWORD = 'bench-password-0123';

export interface FeigeUser {
  id: string;
  username: string;
  token: string;
  deviceId: string;
  /** This device's keys and its sessions with peer devices. */
  store: MemoryCryptoStore;
}

/** Registers an account without a device: enough to hold an idle socket. */
export async function createAccount(origin: string, username: string): Promise<{ id: string; token: string }> {
  const account = await registerAccount(origin, { username, password: BENCH_PASSWORD, displayName: username });
  return { id: account.userId, token: account.token };
}

export async function createUser(origin: string, username: string): Promise<FeigeUser> {
  const account = await createAccount(origin, username);

  const identity = await generateDeviceIdentity();
  const signedPreKey = await generateSignedPreKey(identity, 1);
  const oneTimePreKeys = await generateOneTimePreKeys(identity, 1, ONE_TIME_PREKEYS_PER_DEVICE);
  const deviceId = await registerDevice(origin, account.token, {
    identity: identityKeysToWire(identity.publicKeys),
    signedPreKey: preKeyToWire(signedPreKey),
    oneTimePreKeys: oneTimePreKeys.map(preKeyToWire),
  });

  const store = new MemoryCryptoStore();
  await store.putIdentity({ deviceId, identity });
  await store.putSignedPreKey(signedPreKey);
  await store.putOneTimePreKeys(oneTimePreKeys);

  await updateSettings(origin, account.token, { messagePrivacy: 'everyone' });
  return { id: account.id, username, token: account.token, deviceId, store };
}

/** Runs `task` for 0..count-1 with at most `concurrency` at once; results keep their index. */
export async function mapConcurrent<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
