// Secrets the edge must keep but not store in the clear (push subscription
// keys, for a start) are sealed with AES-256-GCM under SECRETS_KEY, a Worker
// secret: `wrangler secret put SECRETS_KEY` in production, `.dev.vars`
// locally (`npm start` creates it). A sealed value is text:
//
//   v1.<base64url 12-byte IV>.<base64url ciphertext with 16-byte tag>
//
// The caller's `context` (for example "push:<user id>") is the associated
// data, so a sealed value copied to another row or purpose does not open.

import type { Env } from '../env';
import { decodeBase64url, encodeBase64url } from '../auth/base64url';

export const SEALED_VERSION = 'v1';
export const SECRETS_KEY_BYTES = 32;
const IV_BYTES = 12;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** SECRETS_KEY is missing or malformed; the message names the fix. */
export class SecretsKeyError extends Error {
  override readonly name = 'SecretsKeyError';
}

/** A sealed value that is malformed, or was sealed under another key or context. */
export class SealedValueError extends Error {
  override readonly name = 'SealedValueError';
}

const importedKeys = new Map<string, Promise<CryptoKey>>();

/**
 * Imports SECRETS_KEY for sealing. It is checked here, at first use, so a
 * missing or malformed secret fails the request that needs it with a message
 * naming the fix, while routes that need no secret keep working.
 */
export async function loadSecretsKey(env: Pick<Env, 'SECRETS_KEY'>): Promise<CryptoKey> {
  const encoded = env.SECRETS_KEY;
  if (encoded === undefined || encoded === '') {
    throw new SecretsKeyError(
      'SECRETS_KEY is not set. Set it with `npx wrangler secret put SECRETS_KEY` (production) or in .dev.vars ' +
        `(npm start creates one): ${SECRETS_KEY_BYTES} random bytes as base64url.`,
    );
  }

  const bytes = BASE64URL.test(encoded) ? decodeBase64url(encoded) : undefined;
  if (!bytes || bytes.byteLength !== SECRETS_KEY_BYTES || encodeBase64url(bytes) !== encoded) {
    throw new SecretsKeyError(
      `SECRETS_KEY must be ${SECRETS_KEY_BYTES} bytes as unpadded base64url (${Math.ceil((SECRETS_KEY_BYTES * 4) / 3)} ` +
        `characters); it has ${encoded.length} characters. Make one with ` +
        `\`node -e "console.log(require('crypto').randomBytes(${SECRETS_KEY_BYTES}).toString('base64url'))"\`.`,
    );
  }

  let key = importedKeys.get(encoded);
  if (!key) {
    key = crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
    importedKeys.set(encoded, key);
  }
  return key;
}

/** Seals `plaintext` under the key, bound to `context`. */
export async function sealSecret(key: CryptoKey, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return `${SEALED_VERSION}.${encodeBase64url(iv)}.${encodeBase64url(new Uint8Array(ciphertext))}`;
}

/** Opens a value that `sealSecret` made with the same key and context; throws SealedValueError otherwise. */
export async function openSecret(key: CryptoKey, sealed: string, context: string): Promise<string> {
  const parts = sealed.split('.');
  if (parts.length !== 3 || parts[0] !== SEALED_VERSION || !BASE64URL.test(parts[1]!) || !BASE64URL.test(parts[2]!)) {
    throw new SealedValueError(`A sealed value has the form ${SEALED_VERSION}.<iv>.<ciphertext>; this one does not.`);
  }

  const iv = decodeCanonical(parts[1]!);
  const ciphertext = decodeCanonical(parts[2]!);
  if (!iv || !ciphertext) {
    throw new SealedValueError('A sealed value is unpadded base64url with no stray trailing bits; this one is not.');
  }
  if (iv.byteLength !== IV_BYTES) {
    throw new SealedValueError(`The IV of a sealed value is ${IV_BYTES} bytes; this one has ${iv.byteLength}.`);
  }

  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
      key,
      ciphertext,
    );
    return new TextDecoder().decode(plaintext);
  } catch {
    throw new SealedValueError('The sealed value did not open: it was changed, or sealed under another key or context.');
  }
}

/** Decodes base64url that has exactly one text form for its bytes, or returns undefined. */
function decodeCanonical(text: string): Uint8Array | undefined {
  const bytes = decodeBase64url(text);
  return encodeBase64url(bytes) === text ? bytes : undefined;
}
