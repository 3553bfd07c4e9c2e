// Shared helpers of the crypto tests: hex, key import from published
// scalars, and devices with a real identity and prekeys in fake IndexedDB.

import 'fake-indexeddb/auto';
import { toBase64Url, type Bytes } from '../../web/app/crypto/bytes';
import {
  generateDeviceIdentity,
  generateOneTimePreKeys,
  generateSignedPreKey,
  type DeviceIdentity,
  type OneTimePreKey,
  type SignedPreKey,
} from '../../web/app/crypto/identity';
import { buildPreKeyBundle, type PreKeyBundle } from '../../web/app/crypto/prekey-bundle';
import type { KeyPairWithPublicBytes } from '../../web/app/crypto/primitives';
import { openSessionStore, type IndexedDbCryptoStore } from '../../web/app/crypto/session-store';

export function hex(text: string): Bytes {
  const clean = text.replace(/\s+/g, '');
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Imports an X25519 private scalar as a non-extractable CryptoKey. JWK import
 * needs the public key too, and WebCrypto rejects a public key that does not
 * belong to the scalar, so this also checks the published public key.
 */
export async function importX25519KeyPair(privateHex: string, publicHex: string): Promise<KeyPairWithPublicBytes> {
  const publicKey = hex(publicHex);
  const privateKey = await crypto.subtle.importKey(
    'jwk',
    { kty: 'OKP', crv: 'X25519', d: toBase64Url(hex(privateHex)), x: toBase64Url(publicKey) },
    { name: 'X25519' },
    false,
    ['deriveBits'],
  );
  return { privateKey, publicKey };
}

export async function importEd25519PrivateKey(privateHex: string, publicHex: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'jwk',
    { kty: 'OKP', crv: 'Ed25519', d: toBase64Url(hex(privateHex)), x: toBase64Url(hex(publicHex)) },
    { name: 'Ed25519' },
    false,
    ['sign'],
  );
}

/** A device's key material, generated the way the PWA generates it. */
export interface DeviceKeys {
  identity: DeviceIdentity;
  signedPreKey: SignedPreKey;
  oneTimePreKeys: OneTimePreKey[];
}

export async function generateDeviceKeys(oneTimePreKeyCount = 3): Promise<DeviceKeys> {
  const identity = await generateDeviceIdentity();
  return {
    identity,
    signedPreKey: await generateSignedPreKey(identity, 1),
    oneTimePreKeys: oneTimePreKeyCount === 0 ? [] : await generateOneTimePreKeys(identity, 1, oneTimePreKeyCount),
  };
}

let databaseCounter = 0;

/** Returns a fresh database name, so tests never share state through fake-indexeddb. */
export function uniqueDatabaseName(label: string): string {
  databaseCounter += 1;
  return `feige-crypto-test-${label}-${databaseCounter}`;
}

export interface TestDevice {
  deviceId: string;
  keys: DeviceKeys;
  store: IndexedDbCryptoStore;
  databaseName: string;
  /** Hands out this device's bundle the way the server would: each one-time prekey once, then none. */
  nextBundle(): PreKeyBundle;
}

export async function createTestDevice(deviceId: string, oneTimePreKeyCount = 3): Promise<TestDevice> {
  const keys = await generateDeviceKeys(oneTimePreKeyCount);
  const databaseName = uniqueDatabaseName(deviceId);
  const store = await openSessionStore(databaseName);
  await store.putIdentity({ deviceId, identity: keys.identity });
  await store.putSignedPreKey(keys.signedPreKey);
  if (keys.oneTimePreKeys.length > 0) await store.putOneTimePreKeys(keys.oneTimePreKeys);

  const unused = [...keys.oneTimePreKeys];
  return {
    deviceId,
    keys,
    store,
    databaseName,
    nextBundle: () => buildPreKeyBundle(keys.identity, keys.signedPreKey, unused.shift()),
  };
}

/** Returns a bundle fetcher over a fixed set of devices, standing in for the server's bundle route. */
export function bundleServer(...devices: TestDevice[]): (device: string) => Promise<unknown> {
  return async (deviceId) => {
    const device = devices.find((candidate) => candidate.deviceId === deviceId);
    if (!device) throw new Error(`test server has no device ${deviceId}`);
    return device.nextBundle();
  };
}
