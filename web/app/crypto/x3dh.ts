// The X3DH key agreement as Signal specifies it (The X3DH Key Agreement
// Protocol, revision 1), on X25519 and HKDF-SHA256:
//
//   DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)
//   DH4 = DH(EK_A, OPK_B)   (only when the bundle had a one-time prekey)
//   SK  = HKDF(salt = 32 zero bytes, ikm = 32 x 0xFF || DH1 || DH2 || DH3 [|| DH4],
//              info = "Feige X3DH v1", 32 bytes)
//   AD  = IKsig_A || IKdh_A || IKsig_B || IKdh_B
//
// A is the initiator, B the responder. IK is the identity DH key, EK the
// initiator's fresh ephemeral key, SPK and OPK B's signed and one-time prekeys.

import { concatBytes, utf8Encode, type Bytes } from './bytes';
import type { DeviceIdentity, IdentityPublicKeys, OneTimePreKey, SignedPreKey } from './identity';
import type { VerifiedPreKeyBundle } from './prekey-bundle';
import { generateX25519KeyPair, hkdfSha256, KEY_BYTES, x25519, type KeyPairWithPublicBytes } from './primitives';

export const X3DH_INFO = 'Feige X3DH v1';

/** Bytes of the X3DH shared secret SK. */
export const X3DH_SECRET_BYTES = 32;

/** Prepended to the DH outputs, as X3DH specifies for X25519: 32 bytes of 0xFF. */
const X25519_PREFIX = new Uint8Array(KEY_BYTES).fill(0xff);
const ZERO_SALT = new Uint8Array(KEY_BYTES);

export interface X3dhInitiatorResult {
  sharedSecret: Bytes;
  associatedData: Bytes;
  /** EK_A's public key, sent to the responder. */
  ephemeralKey: Bytes;
  signedPreKeyId: number;
  oneTimePreKeyId: number | null;
  /** SPK_B, which the initiator's Double Ratchet takes as the responder's first ratchet key. */
  remoteSignedPreKey: Bytes;
}

export interface X3dhResponderInput {
  identity: DeviceIdentity;
  signedPreKey: SignedPreKey;
  oneTimePreKey: OneTimePreKey | null;
  /** The initiator's identity keys, already checked with verifyIdentityPublicKeys. */
  initiator: IdentityPublicKeys;
  ephemeralKey: Bytes;
}

export interface X3dhResponderResult {
  sharedSecret: Bytes;
  associatedData: Bytes;
}

export function x3dhAssociatedData(initiator: IdentityPublicKeys, responder: IdentityPublicKeys): Bytes {
  return concatBytes(initiator.signingKey, initiator.dhKey, responder.signingKey, responder.dhKey);
}

async function deriveSharedSecret(dhOutputs: Bytes[]): Promise<Bytes> {
  const ikm = concatBytes(X25519_PREFIX, ...dhOutputs);
  return hkdfSha256(ikm, ZERO_SALT, utf8Encode(X3DH_INFO), X3DH_SECRET_BYTES);
}

/**
 * Runs the initiator side against a bundle that verifyPreKeyBundle accepted.
 * `ephemeral` exists for tests with fixed keys; leave it out otherwise.
 */
export async function initiateX3dh(
  identity: DeviceIdentity,
  bundle: VerifiedPreKeyBundle,
  ephemeral?: KeyPairWithPublicBytes,
): Promise<X3dhInitiatorResult> {
  const ephemeralKey = ephemeral ?? (await generateX25519KeyPair());
  const dhOutputs = [
    await x25519(identity.dh.privateKey, bundle.signedPreKey.publicKey),
    await x25519(ephemeralKey.privateKey, bundle.identity.dhKey),
    await x25519(ephemeralKey.privateKey, bundle.signedPreKey.publicKey),
  ];
  if (bundle.oneTimePreKey) dhOutputs.push(await x25519(ephemeralKey.privateKey, bundle.oneTimePreKey.publicKey));

  return {
    sharedSecret: await deriveSharedSecret(dhOutputs),
    associatedData: x3dhAssociatedData(identity.publicKeys, bundle.identity),
    ephemeralKey: ephemeralKey.publicKey,
    signedPreKeyId: bundle.signedPreKey.id,
    oneTimePreKeyId: bundle.oneTimePreKey?.id ?? null,
    remoteSignedPreKey: bundle.signedPreKey.publicKey,
  };
}

/** Runs the responder side with the prekeys the initiator's message names. */
export async function respondX3dh(input: X3dhResponderInput): Promise<X3dhResponderResult> {
  const dhOutputs = [
    await x25519(input.signedPreKey.keyPair.privateKey, input.initiator.dhKey),
    await x25519(input.identity.dh.privateKey, input.ephemeralKey),
    await x25519(input.signedPreKey.keyPair.privateKey, input.ephemeralKey),
  ];
  if (input.oneTimePreKey) dhOutputs.push(await x25519(input.oneTimePreKey.keyPair.privateKey, input.ephemeralKey));

  return {
    sharedSecret: await deriveSharedSecret(dhOutputs),
    associatedData: x3dhAssociatedData(input.initiator, input.identity.publicKeys),
  };
}
