// The wire shapes of end-to-end encryption: the envelope that a `send` frame
// carries as content type `e2e`, and the public keys a device publishes in
// the key directory. Only shapes and sizes live here, so the edge can check
// them without any key. web/app/crypto/ does the cryptography, and
// docs/e2e-encryption.md describes every field and the bytes behind it.

import * as z from 'zod/mini';
import { DEVICE_ID_MAX_LENGTH, ENVELOPE_RECIPIENTS_MAX, TEXT_MAX_BYTES } from './limits';

export const ENVELOPE_VERSION = 1;

/** Bytes of an X25519 or Ed25519 public key. */
export const PUBLIC_KEY_BYTES = 32;

/** Bytes of an Ed25519 signature. */
export const SIGNATURE_BYTES = 64;

/** Bytes of a Double Ratchet header: ratchet public key, uint32 PN, uint32 N. */
export const RATCHET_HEADER_BYTES = PUBLIC_KEY_BYTES + 4 + 4;

export const AES_GCM_TAG_BYTES = 16;

/**
 * UTF-8 bytes of one serialized plaintext payload. It leaves room for a
 * TEXT_MAX_BYTES text whose characters JSON escapes as `\uXXXX` (six bytes for one).
 */
export const PAYLOAD_MAX_BYTES = 6 * TEXT_MAX_BYTES + 1024;

export const CIPHERTEXT_MAX_BYTES = PAYLOAD_MAX_BYTES + AES_GCM_TAG_BYTES;

/** Prekey ids are unsigned 32-bit integers. */
export const PREKEY_ID_MAX = 0xffff_ffff;

/** Characters of the unpadded base64url form of `bytes` bytes. */
export function base64UrlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Returns a schema for a base64url string that encodes exactly `bytes` bytes. */
export function fixedBytesField(bytes: number) {
  return z.string().check(z.length(base64UrlLength(bytes)), z.regex(BASE64URL));
}

/** Returns a schema for a base64url string that encodes from `minBytes` to `maxBytes` bytes. */
export function boundedBytesField(minBytes: number, maxBytes: number) {
  return z
    .string()
    .check(z.minLength(base64UrlLength(minBytes)), z.maxLength(base64UrlLength(maxBytes)), z.regex(BASE64URL));
}

export const deviceIdSchema = z.string().check(z.minLength(1), z.maxLength(DEVICE_ID_MAX_LENGTH));
export const prekeyIdSchema = z.number().check(z.int(), z.minimum(0), z.maximum(PREKEY_ID_MAX));

/** A device's public identity: its Ed25519 signing key and its X25519 DH key signed by it. */
export const identityKeysWireSchema = z.strictObject({
  signingKey: fixedBytesField(PUBLIC_KEY_BYTES),
  dhKey: fixedBytesField(PUBLIC_KEY_BYTES),
  dhKeySignature: fixedBytesField(SIGNATURE_BYTES),
});
export type IdentityKeysWire = z.infer<typeof identityKeysWireSchema>;

/** A signed or one-time prekey: its id, X25519 public key and the identity key's signature over both. */
export const publicPreKeyWireSchema = z.strictObject({
  id: prekeyIdSchema,
  publicKey: fixedBytesField(PUBLIC_KEY_BYTES),
  signature: fixedBytesField(SIGNATURE_BYTES),
});
export type PublicPreKeyWire = z.infer<typeof publicPreKeyWireSchema>;

/** A prekey bundle: the public keys that let a device start a session with another device that may be offline. */
export const preKeyBundleSchema = z.strictObject({
  identity: identityKeysWireSchema,
  signedPreKey: publicPreKeyWireSchema,
  oneTimePreKey: z.optional(publicPreKeyWireSchema),
});
export type PreKeyBundle = z.infer<typeof preKeyBundleSchema>;

const prekeyDataSchema = z.strictObject({
  identity: identityKeysWireSchema,
  ephemeralKey: fixedBytesField(PUBLIC_KEY_BYTES),
  signedPreKeyId: prekeyIdSchema,
  oneTimePreKeyId: z.optional(prekeyIdSchema),
});
export type PrekeyData = z.infer<typeof prekeyDataSchema>;

const entryFields = {
  device: deviceIdSchema,
  header: fixedBytesField(RATCHET_HEADER_BYTES),
  ciphertext: boundedBytesField(AES_GCM_TAG_BYTES, CIPHERTEXT_MAX_BYTES),
};

export const recipientEntrySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('message'), ...entryFields }),
  z.strictObject({ type: z.literal('prekey'), ...entryFields, prekey: prekeyDataSchema }),
]);
export type RecipientEntry = z.infer<typeof recipientEntrySchema>;

/**
 * One payload encrypted once per recipient device. `recipients` may be empty:
 * a note to self from a user's only device, or a message to a user with no
 * signed-in device, reaches no other device, and the sender keeps its own
 * plaintext.
 */
export const envelopeSchema = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  senderDevice: deviceIdSchema,
  recipients: z.array(recipientEntrySchema).check(z.maxLength(ENVELOPE_RECIPIENTS_MAX)),
});
export type Envelope = z.infer<typeof envelopeSchema>;
