// The public prekey bundle a server hands out so that another device can
// start a session with this one without it being online: the identity keys,
// one signed prekey and optionally one one-time prekey, all as base64url.

import {
  identityKeysWireSchema,
  preKeyBundleSchema,
  publicPreKeyWireSchema,
  type IdentityKeysWire,
  type PreKeyBundle,
  type PublicPreKeyWire,
} from '../../../protocol/envelope';
import { identityDhKeyMessage, oneTimePreKeyMessage, signedPreKeyMessage } from '../../../protocol/key-signatures';
import { toBase64Url, type Bytes } from './bytes';
import { InvalidBundleError } from './errors';
import type { DeviceIdentity, IdentityPublicKeys, OneTimePreKey, SignedPreKey } from './identity';
import { ed25519Verify } from './primitives';
import { decodeField, describeIssue, issueField } from './schemas';

// The JSON shapes live in protocol/envelope.ts, because the edge checks them too.
export { identityKeysWireSchema, preKeyBundleSchema, publicPreKeyWireSchema };
export type { IdentityKeysWire, PreKeyBundle, PublicPreKeyWire };

export interface PublicPreKey {
  id: number;
  publicKey: Bytes;
  signature: Bytes;
}

/** A bundle whose shape and every signature were checked, with its keys decoded. */
export interface VerifiedPreKeyBundle {
  identity: IdentityPublicKeys;
  signedPreKey: PublicPreKey;
  oneTimePreKey: PublicPreKey | null;
}

export function identityKeysToWire(keys: IdentityPublicKeys): IdentityKeysWire {
  return {
    signingKey: toBase64Url(keys.signingKey),
    dhKey: toBase64Url(keys.dhKey),
    dhKeySignature: toBase64Url(keys.dhKeySignature),
  };
}

export function preKeyToWire(key: SignedPreKey | OneTimePreKey): PublicPreKeyWire {
  return { id: key.id, publicKey: toBase64Url(key.keyPair.publicKey), signature: toBase64Url(key.signature) };
}

/** Builds the bundle this device publishes. */
export function buildPreKeyBundle(
  identity: DeviceIdentity,
  signedPreKey: SignedPreKey,
  oneTimePreKey?: OneTimePreKey,
): PreKeyBundle {
  const bundle: PreKeyBundle = {
    identity: identityKeysToWire(identity.publicKeys),
    signedPreKey: preKeyToWire(signedPreKey),
  };
  if (oneTimePreKey) bundle.oneTimePreKey = preKeyToWire(oneTimePreKey);
  return bundle;
}

const bundleError = (field: string, message: string) => new InvalidBundleError(field, message);

/** Decodes identity keys that passed identityKeysWireSchema; `prefix` names them in errors. */
export function identityKeysFromWire(
  wire: IdentityKeysWire,
  prefix: string,
  fail: (field: string, message: string) => Error,
): IdentityPublicKeys {
  return {
    signingKey: decodeField(wire.signingKey, `${prefix}.signingKey`, fail),
    dhKey: decodeField(wire.dhKey, `${prefix}.dhKey`, fail),
    dhKeySignature: decodeField(wire.dhKeySignature, `${prefix}.dhKeySignature`, fail),
  };
}

function preKeyFromWire(wire: PublicPreKeyWire, prefix: string): PublicPreKey {
  return {
    id: wire.id,
    publicKey: decodeField(wire.publicKey, `${prefix}.publicKey`, bundleError),
    signature: decodeField(wire.signature, `${prefix}.signature`, bundleError),
  };
}

/**
 * Checks a bundle received from the server: its shape, the identity DH key
 * signature and the signature of each prekey. Throws InvalidBundleError
 * naming the first field at fault.
 */
export async function verifyPreKeyBundle(value: unknown): Promise<VerifiedPreKeyBundle> {
  const parsed = preKeyBundleSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidBundleError(issueField(issue), `invalid prekey bundle: ${describeIssue(issue)}`);
  }

  const wire = parsed.data;
  const identity = identityKeysFromWire(wire.identity, 'identity', bundleError);
  const signedPreKey = preKeyFromWire(wire.signedPreKey, 'signedPreKey');
  const oneTimePreKey = wire.oneTimePreKey ? preKeyFromWire(wire.oneTimePreKey, 'oneTimePreKey') : null;

  if (!(await ed25519Verify(identity.signingKey, identity.dhKeySignature, identityDhKeyMessage(identity.dhKey)))) {
    throw new InvalidBundleError('identity.dhKeySignature', 'identity DH key signature does not verify');
  }

  const signedMessage = signedPreKeyMessage(signedPreKey.id, signedPreKey.publicKey);
  if (!(await ed25519Verify(identity.signingKey, signedPreKey.signature, signedMessage))) {
    throw new InvalidBundleError(
      'signedPreKey.signature',
      `signed prekey ${signedPreKey.id} signature does not verify`,
    );
  }

  if (oneTimePreKey) {
    const oneTimeMessage = oneTimePreKeyMessage(oneTimePreKey.id, oneTimePreKey.publicKey);
    if (!(await ed25519Verify(identity.signingKey, oneTimePreKey.signature, oneTimeMessage))) {
      throw new InvalidBundleError(
        'oneTimePreKey.signature',
        `one-time prekey ${oneTimePreKey.id} signature does not verify`,
      );
    }
  }

  return { identity, signedPreKey, oneTimePreKey };
}
