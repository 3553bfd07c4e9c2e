// Session tokens that a socket upgrade verifies without D1. A signed token is
//
//   s1.<session id>.<user id>.<32 random bytes>.<HMAC-SHA256 of everything before it>
//
// all base64url, under a key derived from SECRETS_KEY. D1 stores SHA-256 of
// the whole token as of any token, so HTTP routes check it against D1 as
// before. The upgrade trusts the signature for who the user and session
// are; the user's Durable Object, which learns of every revocation, refuses
// revoked sessions. Tokens issued without SECRETS_KEY, or before this
// format, fail verification and the upgrade checks them against D1.

import { SecretsKeyError, loadSecretsKey } from '../crypto/sealed';
import type { Env } from '../env';
import { decodeBase64url, encodeBase64url } from './base64url';
import { newToken } from './tokens';

const SIGNED_TOKEN_VERSION = 's1';
const RANDOM_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** HKDF info, so the signing key differs from the sealing key made from the same secret. */
const KEY_INFO = 'feige session token v1';

export interface TokenIdentity {
  sessionId: string;
  userId: string;
}

const signingKeys = new Map<string, Promise<CryptoKey>>();

/** Derives the HMAC key, or returns undefined when SECRETS_KEY is not set or malformed. */
async function signingKey(env: Pick<Env, 'SECRETS_KEY'>): Promise<CryptoKey | undefined> {
  try {
    await loadSecretsKey(env);
  } catch (error) {
    if (error instanceof SecretsKeyError) return undefined;
    throw error;
  }

  const encoded = env.SECRETS_KEY!;
  let key = signingKeys.get(encoded);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', decodeBase64url(encoded), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(KEY_INFO) },
          material,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign', 'verify'],
        ),
      );
    signingKeys.set(encoded, key);
  }
  return key;
}

/** Returns a new bearer token for the session: signed when SECRETS_KEY is set, else random. */
export async function issueSessionToken(env: Pick<Env, 'SECRETS_KEY'>, identity: TokenIdentity): Promise<string> {
  const key = await signingKey(env);
  if (!key) return newToken();

  const random = encodeBase64url(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)));
  const body = `${SIGNED_TOKEN_VERSION}.${identity.sessionId}.${identity.userId}.${random}`;
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body));
  return `${body}.${encodeBase64url(new Uint8Array(mac))}`;
}

/** Returns who a signed token names when its signature holds, else undefined. It does not check revocation. */
export async function verifySessionToken(env: Pick<Env, 'SECRETS_KEY'>, token: string): Promise<TokenIdentity | undefined> {
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== SIGNED_TOKEN_VERSION) return undefined;
  if (!parts.every((part, index) => index === 0 || BASE64URL.test(part))) return undefined;

  const key = await signingKey(env);
  if (!key) return undefined;

  const [, sessionId, userId, , mac] = parts as [string, string, string, string, string];
  const body = token.slice(0, token.length - mac.length - 1);
  const valid = await crypto.subtle.verify('HMAC', key, decodeBase64url(mac), new TextEncoder().encode(body));
  return valid ? { sessionId, userId } : undefined;
}
