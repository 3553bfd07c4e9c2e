// The cryptographic primitives of Feige's end-to-end encryption, all on
// WebCrypto (`crypto.subtle`), which Chromium, service workers and Node 20
// provide with X25519 and Ed25519. Private keys stay non-extractable
// CryptoKeys; only public keys and symmetric ratchet secrets exist as bytes.

import type { Bytes } from './bytes';

export {
  concatBytes,
  constantTimeEqual,
  fromBase64Url,
  toBase64Url,
  type Bytes,
} from './bytes';

/** Bytes of an X25519 or Ed25519 public key and of an X25519 shared secret. */
export const KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const AES_KEY_BYTES = 32;
export const AES_GCM_IV_BYTES = 12;
export const AES_GCM_TAG_BYTES = 16;
export const SHA256_BYTES = 32;

/** HKDF-SHA256 output is at most 255 hash blocks (RFC 5869 section 2.3). */
export const HKDF_OUTPUT_MAX_BYTES = 255 * SHA256_BYTES;

const subtle = globalThis.crypto.subtle;

/** A key pair whose private half may be non-extractable, with the public half kept as bytes. */
export interface KeyPairWithPublicBytes {
  privateKey: CryptoKey;
  publicKey: Bytes;
}

export function randomBytes(length: number): Bytes {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

function requireLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) {
    throw new RangeError(`${what} must be ${length} bytes, got ${bytes.length}`);
  }
}

function asKeyPair(generated: CryptoKey | CryptoKeyPair): CryptoKeyPair {
  if (!('privateKey' in generated)) throw new TypeError('expected a key pair, got a single key');
  return generated;
}

async function exportRawPublicKey(key: CryptoKey): Promise<Bytes> {
  return new Uint8Array(await subtle.exportKey('raw', key));
}

// ---------------------------------------------------------------------------
// X25519

/** Generates an X25519 key pair with a non-extractable private key. */
export async function generateX25519KeyPair(): Promise<KeyPairWithPublicBytes> {
  const pair = asKeyPair(await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']));
  return { privateKey: pair.privateKey, publicKey: await exportRawPublicKey(pair.publicKey) };
}

export async function importX25519PublicKey(raw: Bytes): Promise<CryptoKey> {
  requireLength(raw, KEY_BYTES, 'X25519 public key');
  return subtle.importKey('raw', raw, { name: 'X25519' }, true, []);
}

/**
 * Computes X25519(privateKey, publicKey). Rejects an all-zero result, which
 * only a low-order public key produces and which would make the secret
 * independent of the private key (RFC 7748 section 6.1).
 */
export async function x25519(privateKey: CryptoKey, publicKey: Bytes): Promise<Bytes> {
  const peer = await importX25519PublicKey(publicKey);
  const secret = new Uint8Array(
    await subtle.deriveBits({ name: 'X25519', public: peer }, privateKey, KEY_BYTES * 8),
  );

  if (secret.every((byte) => byte === 0)) {
    throw new RangeError('X25519 produced the all-zero secret: the public key has low order');
  }
  return secret;
}

// ---------------------------------------------------------------------------
// Ed25519

/** Generates an Ed25519 key pair with a non-extractable private key. */
export async function generateEd25519KeyPair(): Promise<KeyPairWithPublicBytes> {
  const pair = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  return { privateKey: pair.privateKey, publicKey: await exportRawPublicKey(pair.publicKey) };
}

export async function ed25519Sign(privateKey: CryptoKey, message: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle.sign({ name: 'Ed25519' }, privateKey, message));
}

/** Returns false for a wrong signature and for a public key or signature of the wrong size. */
export async function ed25519Verify(publicKey: Bytes, signature: Bytes, message: Bytes): Promise<boolean> {
  if (publicKey.length !== KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;

  let key: CryptoKey;
  try {
    key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, true, ['verify']);
  } catch {
    return false;
  }
  return subtle.verify({ name: 'Ed25519' }, key, signature, message);
}

// ---------------------------------------------------------------------------
// Hashes and key derivation

/** HKDF-SHA256 (RFC 5869): extract with `salt`, expand with `info` to `length` bytes. */
export async function hkdfSha256(ikm: Bytes, salt: Bytes, info: Bytes, length: number): Promise<Bytes> {
  if (!Number.isInteger(length) || length < 1 || length > HKDF_OUTPUT_MAX_BYTES) {
    throw new RangeError(`HKDF output length ${length} is outside 1..${HKDF_OUTPUT_MAX_BYTES}`);
  }

  const key = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, length * 8);
  return new Uint8Array(bits);
}

export async function hmacSha256(key: Bytes, data: Bytes): Promise<Bytes> {
  const hmacKey = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', hmacKey, data));
}

/** Computes HMAC-SHA256 of each of `messages` under one key, importing the key once and signing in parallel. */
export async function hmacSha256Each(key: Bytes, messages: readonly Bytes[]): Promise<Bytes[]> {
  const hmacKey = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const tags = await Promise.all(messages.map((data) => subtle.sign('HMAC', hmacKey, data)));
  return tags.map((tag) => new Uint8Array(tag));
}

export async function sha512(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle.digest('SHA-512', data));
}

// ---------------------------------------------------------------------------
// AES-256-GCM

async function importAesKey(key: Bytes, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  requireLength(key, AES_KEY_BYTES, 'AES-256-GCM key');
  return subtle.importKey('raw', key, { name: 'AES-GCM' }, false, [usage]);
}

/** Encrypts with AES-256-GCM and returns ciphertext followed by the 16-byte tag. */
export async function aesGcmEncrypt(key: Bytes, iv: Bytes, plaintext: Bytes, associatedData: Bytes): Promise<Bytes> {
  requireLength(iv, AES_GCM_IV_BYTES, 'AES-GCM IV');
  const aesKey = await importAesKey(key, 'encrypt');
  const params = { name: 'AES-GCM', iv, additionalData: associatedData, tagLength: AES_GCM_TAG_BYTES * 8 };
  return new Uint8Array(await subtle.encrypt(params, aesKey, plaintext));
}

/**
 * Decrypts ciphertext-with-tag from aesGcmEncrypt. Returns null when the tag
 * does not verify, so callers choose their own error; any other failure throws.
 */
export async function aesGcmDecrypt(
  key: Bytes,
  iv: Bytes,
  ciphertext: Bytes,
  associatedData: Bytes,
): Promise<Bytes | null> {
  requireLength(iv, AES_GCM_IV_BYTES, 'AES-GCM IV');
  if (ciphertext.length < AES_GCM_TAG_BYTES) return null;

  const aesKey = await importAesKey(key, 'decrypt');
  const params = { name: 'AES-GCM', iv, additionalData: associatedData, tagLength: AES_GCM_TAG_BYTES * 8 };
  try {
    return new Uint8Array(await subtle.decrypt(params, aesKey, ciphertext));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'OperationError') return null;
    throw error;
  }
}

