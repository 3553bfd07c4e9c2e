// Device identities, prekeys and prekey bundle verification.

import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../web/app/crypto/bytes';
import { InvalidBundleError } from '../../web/app/crypto/errors';
import {
  generateDeviceIdentity,
  generateOneTimePreKeys,
  generateSignedPreKey,
  ONE_TIME_PREKEY_BATCH_MAX,
  PREKEY_ID_MAX,
  verifyIdentityPublicKeys,
} from '../../web/app/crypto/identity';
import { buildPreKeyBundle, verifyPreKeyBundle, type PreKeyBundle } from '../../web/app/crypto/prekey-bundle';
import { generateDeviceKeys } from './helpers';

/** Returns a copy of a base64url value with one bit of its first byte flipped. */
function flipFirstBit(text: string): string {
  const bytes = fromBase64Url(text);
  bytes[0]! ^= 1;
  return toBase64Url(bytes);
}

async function rejection(bundle: unknown): Promise<InvalidBundleError> {
  try {
    await verifyPreKeyBundle(bundle);
  } catch (error) {
    if (error instanceof InvalidBundleError) return error;
    throw error;
  }
  throw new Error('bundle was accepted');
}

describe('device identity', () => {
  it('private keys are non-extractable', async () => {
    const identity = await generateDeviceIdentity();
    expect(identity.signing.privateKey.extractable).toBe(false);
    expect(identity.dh.privateKey.extractable).toBe(false);
  });

  it('identity DH key signature verifies', async () => {
    const identity = await generateDeviceIdentity();
    expect(await verifyIdentityPublicKeys(identity.publicKeys)).toBe(true);
  });

  it('identity from another signer fails', async () => {
    const first = await generateDeviceIdentity();
    const second = await generateDeviceIdentity();
    const mixed = { ...first.publicKeys, signingKey: second.publicKeys.signingKey };
    expect(await verifyIdentityPublicKeys(mixed)).toBe(false);
  });

  it('survives structured cloning', async () => {
    const identity = await generateDeviceIdentity();
    const copy = structuredClone(identity);
    expect(copy.signing.privateKey).toBeInstanceOf(CryptoKey);
    expect(await verifyIdentityPublicKeys(copy.publicKeys)).toBe(true);
  });
});

describe('prekey generation limits', () => {
  it('signed prekey id at PREKEY_ID_MAX works', async () => {
    const identity = await generateDeviceIdentity();
    expect((await generateSignedPreKey(identity, PREKEY_ID_MAX)).id).toBe(PREKEY_ID_MAX);
  });

  it('signed prekey id past PREKEY_ID_MAX fails', async () => {
    const identity = await generateDeviceIdentity();
    await expect(generateSignedPreKey(identity, PREKEY_ID_MAX + 1)).rejects.toThrow(/4294967296.*PREKEY_ID_MAX/);
  });

  it('batch of ONE_TIME_PREKEY_BATCH_MAX works', async () => {
    const identity = await generateDeviceIdentity();
    const keys = await generateOneTimePreKeys(identity, 10, ONE_TIME_PREKEY_BATCH_MAX);
    expect(keys.length).toBe(ONE_TIME_PREKEY_BATCH_MAX);
    expect(keys[0]!.id).toBe(10);
    expect(keys.at(-1)!.id).toBe(10 + ONE_TIME_PREKEY_BATCH_MAX - 1);
  });

  it('batch past ONE_TIME_PREKEY_BATCH_MAX fails', async () => {
    const identity = await generateDeviceIdentity();
    await expect(generateOneTimePreKeys(identity, 1, ONE_TIME_PREKEY_BATCH_MAX + 1)).rejects.toThrow(
      /101 .*ONE_TIME_PREKEY_BATCH_MAX/,
    );
  });

  it('batch ending past PREKEY_ID_MAX fails', async () => {
    const identity = await generateDeviceIdentity();
    expect((await generateOneTimePreKeys(identity, PREKEY_ID_MAX - 1, 2)).length).toBe(2);
    await expect(generateOneTimePreKeys(identity, PREKEY_ID_MAX - 1, 3)).rejects.toThrow(/last one-time prekey/);
  });
});

describe('prekey bundle verification', () => {
  async function bundle(): Promise<PreKeyBundle> {
    const keys = await generateDeviceKeys(1);
    return buildPreKeyBundle(keys.identity, keys.signedPreKey, keys.oneTimePreKeys[0]);
  }

  it('accepts a bundle as built', async () => {
    const wire = await bundle();
    const verified = await verifyPreKeyBundle(JSON.parse(JSON.stringify(wire)));
    expect(verified.signedPreKey.id).toBe(1);
    expect(verified.oneTimePreKey?.id).toBe(1);
  });

  it('accepts a bundle without one-time prekey', async () => {
    const { oneTimePreKey: _, ...wire } = await bundle();
    expect((await verifyPreKeyBundle(wire)).oneTimePreKey).toBeNull();
  });

  it('rejects a bad signed prekey signature', async () => {
    const wire = await bundle();
    wire.signedPreKey.signature = flipFirstBit(wire.signedPreKey.signature);
    expect((await rejection(wire)).field).toBe('signedPreKey.signature');
  });

  it('rejects a swapped signed prekey', async () => {
    const wire = await bundle();
    wire.signedPreKey.publicKey = flipFirstBit(wire.signedPreKey.publicKey);
    expect((await rejection(wire)).field).toBe('signedPreKey.signature');
  });

  it('rejects a changed signed prekey id', async () => {
    const wire = await bundle();
    wire.signedPreKey.id = 2;
    expect((await rejection(wire)).field).toBe('signedPreKey.signature');
  });

  it('rejects a bad one-time prekey signature', async () => {
    const wire = await bundle();
    wire.oneTimePreKey!.signature = flipFirstBit(wire.oneTimePreKey!.signature);
    expect((await rejection(wire)).field).toBe('oneTimePreKey.signature');
  });

  it('rejects a bad identity DH key signature', async () => {
    const wire = await bundle();
    wire.identity.dhKey = flipFirstBit(wire.identity.dhKey);
    expect((await rejection(wire)).field).toBe('identity.dhKeySignature');
  });

  it('rejects a short key naming the field', async () => {
    const wire = await bundle();
    wire.identity.signingKey = wire.identity.signingKey.slice(0, 42);
    const error = await rejection(wire);
    expect(error.field).toBe('identity.signingKey');
    expect(error.message).toMatch(/identity\.signingKey/);
  });

  it('rejects unknown fields', async () => {
    const wire = { ...(await bundle()), extra: true };
    expect((await rejection(wire)).message).toMatch(/unknown keys extra/);
  });

  it('rejects prekey id past PREKEY_ID_MAX', async () => {
    const wire = await bundle();
    wire.signedPreKey.id = PREKEY_ID_MAX + 1;
    expect((await rejection(wire)).field).toBe('signedPreKey.id');
  });
});
