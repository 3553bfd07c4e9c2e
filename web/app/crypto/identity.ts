// A device's long-term identity and its prekeys.
//
// Each device has an Ed25519 signing key pair and an X25519 DH key pair. The
// signing key is the root of trust (the safety number is computed from it):
// it signs the identity DH key, every signed prekey and every one-time
// prekey, each under its own label so one signature cannot stand for another.

import {
  IDENTITY_DH_KEY_LABEL,
  ONE_TIME_PREKEY_LABEL,
  SIGNED_PREKEY_LABEL,
  identityDhKeyMessage,
  oneTimePreKeyMessage,
  signedPreKeyMessage,
} from '../../../protocol/key-signatures';
import { PREKEY_ID_MAX } from '../../../protocol/envelope';
import type { Bytes } from './bytes';
import {
  ed25519Sign,
  ed25519Verify,
  generateEd25519KeyPair,
  generateX25519KeyPair,
  type KeyPairWithPublicBytes,
} from './primitives';

// The signed byte strings and the id range are part of the wire format, which
// the edge checks too, so they live in protocol/.
export {
  IDENTITY_DH_KEY_LABEL,
  ONE_TIME_PREKEY_LABEL,
  PREKEY_ID_MAX,
  SIGNED_PREKEY_LABEL,
  identityDhKeyMessage,
  oneTimePreKeyMessage,
  signedPreKeyMessage,
};

/** One-time prekeys made by one call; the PWA uploads them in batches of this size or fewer. */
export const ONE_TIME_PREKEY_BATCH_MAX = 100;

/** The public half of a device's identity, as other devices receive it. */
export interface IdentityPublicKeys {
  /** Ed25519 public key, 32 bytes. */
  signingKey: Bytes;
  /** X25519 public key, 32 bytes. */
  dhKey: Bytes;
  /** Ed25519 signature of IDENTITY_DH_KEY_LABEL || dhKey by signingKey, 64 bytes. */
  dhKeySignature: Bytes;
}

/** A device's own identity: non-extractable private keys and their public halves. */
export interface DeviceIdentity {
  signing: KeyPairWithPublicBytes;
  dh: KeyPairWithPublicBytes;
  publicKeys: IdentityPublicKeys;
}

export interface SignedPreKey {
  id: number;
  keyPair: KeyPairWithPublicBytes;
  /** Ed25519 signature of SIGNED_PREKEY_LABEL || uint32be(id) || public key. */
  signature: Bytes;
}

export interface OneTimePreKey {
  id: number;
  keyPair: KeyPairWithPublicBytes;
  /** Ed25519 signature of ONE_TIME_PREKEY_LABEL || uint32be(id) || public key. */
  signature: Bytes;
}

function requirePreKeyId(id: number, what: string): void {
  if (!Number.isInteger(id) || id < 0 || id > PREKEY_ID_MAX) {
    throw new RangeError(`${what} id ${id} is outside 0..${PREKEY_ID_MAX} (PREKEY_ID_MAX)`);
  }
}

export async function generateDeviceIdentity(): Promise<DeviceIdentity> {
  const signing = await generateEd25519KeyPair();
  const dh = await generateX25519KeyPair();
  const dhKeySignature = await ed25519Sign(signing.privateKey, identityDhKeyMessage(dh.publicKey));

  return {
    signing,
    dh,
    publicKeys: { signingKey: signing.publicKey, dhKey: dh.publicKey, dhKeySignature },
  };
}

/** Returns whether the identity DH key carries a valid signature by the identity signing key. */
export async function verifyIdentityPublicKeys(keys: IdentityPublicKeys): Promise<boolean> {
  return ed25519Verify(keys.signingKey, keys.dhKeySignature, identityDhKeyMessage(keys.dhKey));
}

export async function generateSignedPreKey(identity: DeviceIdentity, id: number): Promise<SignedPreKey> {
  requirePreKeyId(id, 'signed prekey');

  const keyPair = await generateX25519KeyPair();
  const signature = await ed25519Sign(identity.signing.privateKey, signedPreKeyMessage(id, keyPair.publicKey));
  return { id, keyPair, signature };
}

/** Generates `count` one-time prekeys with ids firstId, firstId + 1, … */
export async function generateOneTimePreKeys(
  identity: DeviceIdentity,
  firstId: number,
  count: number,
): Promise<OneTimePreKey[]> {
  if (!Number.isInteger(count) || count < 1 || count > ONE_TIME_PREKEY_BATCH_MAX) {
    throw new RangeError(
      `one-time prekey batch size ${count} is outside 1..${ONE_TIME_PREKEY_BATCH_MAX} (ONE_TIME_PREKEY_BATCH_MAX)`,
    );
  }
  requirePreKeyId(firstId, 'first one-time prekey');
  requirePreKeyId(firstId + count - 1, 'last one-time prekey');

  const keys: OneTimePreKey[] = [];
  for (let id = firstId; id < firstId + count; id++) {
    const keyPair = await generateX25519KeyPair();
    const signature = await ed25519Sign(identity.signing.privateKey, oneTimePreKeyMessage(id, keyPair.publicKey));
    keys.push({ id, keyPair, signature });
  }
  return keys;
}
