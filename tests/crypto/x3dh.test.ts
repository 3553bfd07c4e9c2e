// Both sides of X3DH agree on the secret and the associated data.

import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../web/app/crypto/bytes';
import { InvalidBundleError } from '../../web/app/crypto/errors';
import { buildPreKeyBundle, verifyPreKeyBundle } from '../../web/app/crypto/prekey-bundle';
import { initiateX3dh, respondX3dh } from '../../web/app/crypto/x3dh';
import { generateDeviceKeys, importX25519KeyPair, toHex } from './helpers';

describe('X3DH', () => {
  it('both sides derive one secret', async () => {
    const alice = await generateDeviceKeys(0);
    const bob = await generateDeviceKeys(1);
    const bundle = await verifyPreKeyBundle(buildPreKeyBundle(bob.identity, bob.signedPreKey, bob.oneTimePreKeys[0]));

    const initiator = await initiateX3dh(alice.identity, bundle);
    const responder = await respondX3dh({
      identity: bob.identity,
      signedPreKey: bob.signedPreKey,
      oneTimePreKey: bob.oneTimePreKeys[0]!,
      initiator: alice.identity.publicKeys,
      ephemeralKey: initiator.ephemeralKey,
    });

    expect(initiator.sharedSecret.length).toBe(32);
    expect(toHex(responder.sharedSecret)).toBe(toHex(initiator.sharedSecret));
    expect(toHex(responder.associatedData)).toBe(toHex(initiator.associatedData));
    expect(initiator.oneTimePreKeyId).toBe(1);
  });

  it('works without one-time prekey', async () => {
    const alice = await generateDeviceKeys(0);
    const bob = await generateDeviceKeys(0);
    const bundle = await verifyPreKeyBundle(buildPreKeyBundle(bob.identity, bob.signedPreKey));

    const initiator = await initiateX3dh(alice.identity, bundle);
    const responder = await respondX3dh({
      identity: bob.identity,
      signedPreKey: bob.signedPreKey,
      oneTimePreKey: null,
      initiator: alice.identity.publicKeys,
      ephemeralKey: initiator.ephemeralKey,
    });

    expect(initiator.oneTimePreKeyId).toBeNull();
    expect(toHex(responder.sharedSecret)).toBe(toHex(initiator.sharedSecret));
  });

  it('missing one-time prekey changes the secret', async () => {
    const alice = await generateDeviceKeys(0);
    const bob = await generateDeviceKeys(1);
    const bundle = await verifyPreKeyBundle(buildPreKeyBundle(bob.identity, bob.signedPreKey, bob.oneTimePreKeys[0]));

    const initiator = await initiateX3dh(alice.identity, bundle);
    const responder = await respondX3dh({
      identity: bob.identity,
      signedPreKey: bob.signedPreKey,
      oneTimePreKey: null,
      initiator: alice.identity.publicKeys,
      ephemeralKey: initiator.ephemeralKey,
    });

    expect(toHex(responder.sharedSecret)).not.toBe(toHex(initiator.sharedSecret));
  });

  it('same fixed ephemeral gives same secret', async () => {
    const alice = await generateDeviceKeys(0);
    const bob = await generateDeviceKeys(0);
    const bundle = await verifyPreKeyBundle(buildPreKeyBundle(bob.identity, bob.signedPreKey));
    const ephemeral = await importX25519KeyPair(
      '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
    );

    const first = await initiateX3dh(alice.identity, bundle, ephemeral);
    const second = await initiateX3dh(alice.identity, bundle, ephemeral);
    expect(toHex(second.sharedSecret)).toBe(toHex(first.sharedSecret));
    expect(toHex(first.ephemeralKey)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  });

  it('bad signed-prekey signature is rejected', async () => {
    const bob = await generateDeviceKeys(0);
    const wire = buildPreKeyBundle(bob.identity, bob.signedPreKey);
    const signature = fromBase64Url(wire.signedPreKey.signature);
    signature[10]! ^= 0x80;
    wire.signedPreKey.signature = toBase64Url(signature);

    const verification = verifyPreKeyBundle(wire);
    await expect(verification).rejects.toBeInstanceOf(InvalidBundleError);
    await expect(verification).rejects.toThrow(/signed prekey 1 signature does not verify/);
  });
});
