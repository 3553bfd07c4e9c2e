// Password hashing with PBKDF2-SHA256 through WebCrypto.

import { decodeBase64url, encodeBase64url } from './base64url';

/**
 * Cloudflare's deployed Workers runtime rejects PBKDF2 above 100,000 iterations
 * with a NotSupportedError, so this is the highest count it allows. The
 * open-source workerd under `wrangler dev` (2026-03-10) does not enforce that
 * cap, so local tests would not catch a higher value. Each account stores its
 * own count, so raising this later leaves old hashes verifiable.
 */
export const PBKDF2_ITERATIONS = 100_000;

const SALT_BYTES = 16;
const HASH_BITS = 256;

export interface PasswordHash {
  hash: string;
  salt: string;
  iterations: number;
}

/**
 * A fixed salt for sign-ins with an unknown username: hashing with it costs the
 * same PBKDF2 work as a real check, so response time does not reveal which
 * usernames exist.
 */
const UNKNOWN_USER_SALT = encodeBase64url(new Uint8Array(SALT_BYTES));

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = encodeBase64url(crypto.getRandomValues(new Uint8Array(SALT_BYTES)));
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return { hash: encodeBase64url(hash), salt, iterations: PBKDF2_ITERATIONS };
}

/** Checks `password` against a stored hash, comparing in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = decodeBase64url(stored.hash);
  const actual = await derive(password, stored.salt, stored.iterations);
  if (actual.byteLength !== expected.byteLength) return false;
  return crypto.subtle.timingSafeEqual(actual, expected);
}

/** Spends the work of one password check and discards the result. */
export async function spendPasswordWork(password: string): Promise<void> {
  await derive(password, UNKNOWN_USER_SALT, PBKDF2_ITERATIONS);
}

async function derive(password: string, salt: string, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: decodeBase64url(salt), iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}
