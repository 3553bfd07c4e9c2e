// Verifies the Ed25519 signatures of the public keys a device uploads. The
// edge cannot check that a device owns its keys, but it keeps keys with bad
// signatures out of the directory. Every client rejects such a bundle, so one
// would leave its device unreachable and every send to its user stuck on
// `devices_changed`.

import type { IdentityKeysWire, PublicPreKeyWire } from '../../protocol/envelope';
import { identityDhKeyMessage, oneTimePreKeyMessage, signedPreKeyMessage } from '../../protocol/key-signatures';
import { decodeBase64url } from '../auth/base64url';

/** The first key whose signature does not verify, named as a request body field. */
export interface SignatureFailure {
  field: string;
  message: string;
}

async function verifyEd25519(signingKey: CryptoKey, signature: string, message: Uint8Array): Promise<boolean> {
  return crypto.subtle.verify('Ed25519', signingKey, decodeBase64url(signature), message);
}

/**
 * Checks the identity DH key, the signed prekey and each one-time prekey
 * against the identity signing key. `prefix` names the one-time prekey array
 * in the request body.
 */
export async function checkKeySignatures(
  identity: IdentityKeysWire,
  signedPreKey: PublicPreKeyWire | undefined,
  oneTimePreKeys: readonly PublicPreKeyWire[],
  prefix = 'oneTimePreKeys',
): Promise<SignatureFailure | undefined> {
  let signingKey: CryptoKey;
  try {
    signingKey = await crypto.subtle.importKey('raw', decodeBase64url(identity.signingKey), 'Ed25519', false, ['verify']);
  } catch {
    return { field: 'identity.signingKey', message: 'identity.signingKey is not an Ed25519 public key.' };
  }

  if (!(await verifyEd25519(signingKey, identity.dhKeySignature, identityDhKeyMessage(decodeBase64url(identity.dhKey))))) {
    return { field: 'identity.dhKeySignature', message: 'identity.dhKeySignature does not verify under identity.signingKey.' };
  }

  if (signedPreKey) {
    const message = signedPreKeyMessage(signedPreKey.id, decodeBase64url(signedPreKey.publicKey));
    if (!(await verifyEd25519(signingKey, signedPreKey.signature, message))) {
      return {
        field: 'signedPreKey.signature',
        message: `signedPreKey.signature of signed prekey ${signedPreKey.id} does not verify under identity.signingKey.`,
      };
    }
  }

  for (const [index, key] of oneTimePreKeys.entries()) {
    const message = oneTimePreKeyMessage(key.id, decodeBase64url(key.publicKey));
    if (!(await verifyEd25519(signingKey, key.signature, message))) {
      return {
        field: `${prefix}.${index}.signature`,
        message: `${prefix}.${index}.signature of one-time prekey ${key.id} does not verify under identity.signingKey.`,
      };
    }
  }
  return undefined;
}
