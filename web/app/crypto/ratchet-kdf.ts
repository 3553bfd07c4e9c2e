// The key derivation functions of the Double Ratchet (Signal's "The Double
// Ratchet Algorithm", revision 4, section 5.2, with its recommended choices):
//
//   KDF_RK(rk, dh)  = HKDF-SHA256(salt = rk, ikm = dh, info = "Feige Ratchet v1", 64 bytes)
//                     -> new root key (bytes 0..31) and new chain key (bytes 32..63)
//   KDF_CK(ck)      = message key HMAC-SHA256(ck, 0x01), next chain key HMAC-SHA256(ck, 0x02)
//   message key mk -> HKDF-SHA256(salt = 32 zero bytes, ikm = mk, info = "Feige Message Keys v1", 44 bytes)
//                     -> AES-256-GCM key (bytes 0..31) and IV (bytes 32..43)
//
// Every message key encrypts exactly one message, so an IV derived from it
// is never reused under the same AES key.

import { utf8Encode, type Bytes } from './bytes';
import { AES_GCM_IV_BYTES, AES_KEY_BYTES, hkdfSha256, hmacSha256Each, SHA256_BYTES } from './primitives';

export const RATCHET_INFO = 'Feige Ratchet v1';
export const MESSAGE_KEYS_INFO = 'Feige Message Keys v1';

const MESSAGE_KEY_CONSTANT = new Uint8Array([0x01]);
const CHAIN_KEY_CONSTANT = new Uint8Array([0x02]);
const ZERO_SALT = new Uint8Array(SHA256_BYTES);

export interface RootStep {
  rootKey: Bytes;
  chainKey: Bytes;
}

export interface ChainStep {
  chainKey: Bytes;
  messageKey: Bytes;
}

export interface MessageCipherKeys {
  aesKey: Bytes;
  iv: Bytes;
}

export async function kdfRootKey(rootKey: Bytes, dhOutput: Bytes): Promise<RootStep> {
  const output = await hkdfSha256(dhOutput, rootKey, utf8Encode(RATCHET_INFO), 2 * SHA256_BYTES);
  return { rootKey: output.slice(0, SHA256_BYTES), chainKey: output.slice(SHA256_BYTES) };
}

export async function kdfChainKey(chainKey: Bytes): Promise<ChainStep> {
  const [messageKey, nextChainKey] = await hmacSha256Each(chainKey, [MESSAGE_KEY_CONSTANT, CHAIN_KEY_CONSTANT]);
  return { messageKey: messageKey!, chainKey: nextChainKey! };
}

export async function expandMessageKey(messageKey: Bytes): Promise<MessageCipherKeys> {
  const length = AES_KEY_BYTES + AES_GCM_IV_BYTES;
  const output = await hkdfSha256(messageKey, ZERO_SALT, utf8Encode(MESSAGE_KEYS_INFO), length);
  return { aesKey: output.slice(0, AES_KEY_BYTES), iv: output.slice(AES_KEY_BYTES) };
}
