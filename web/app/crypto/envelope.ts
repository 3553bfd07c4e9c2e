// The versioned wire format of one encrypted message. A sender encrypts one
// payload once per recipient device, each under that device's session:
//
//   { "v": 1, "senderDevice": "...", "recipients": [
//       { "device": "...", "type": "message", "header": "<b64url>", "ciphertext": "<b64url>" },
//       { "device": "...", "type": "prekey",  "header": "<b64url>", "ciphertext": "<b64url>",
//         "prekey": { "identity": {...}, "ephemeralKey": "<b64url>",
//                     "signedPreKeyId": 7, "oneTimePreKeyId": 12 } } ] }
//
// docs/e2e-encryption.md describes every field and the bytes behind it.

import * as z from 'zod/mini';
import { concatBytes, utf8Encode, type Bytes } from './bytes';
import { DecryptError } from './errors';
import { PREKEY_ID_MAX } from './identity';
import { PAYLOAD_MAX_BYTES } from './payload';
import { identityKeysWireSchema } from './prekey-bundle';
import { AES_GCM_TAG_BYTES, KEY_BYTES } from './primitives';
import { HEADER_BYTES } from './ratchet-header';
import { boundedBytesField, describeIssue, fixedBytesField } from './schemas';

export const ENVELOPE_VERSION = 1;

/** Characters of a device id; device ids are opaque, unique across all users, and chosen by the server. */
export const DEVICE_ID_MAX_LENGTH = 64;

/**
 * Recipient entries in one envelope: the peer's devices plus the sender's
 * other devices. With SESSIONS_PER_DEVICE_CLASS = 1 a 1:1 chat needs at most 3.
 */
export const ENVELOPE_RECIPIENTS_MAX = 16;

export const CIPHERTEXT_MAX_BYTES = PAYLOAD_MAX_BYTES + AES_GCM_TAG_BYTES;

const deviceId = z.string().check(z.minLength(1), z.maxLength(DEVICE_ID_MAX_LENGTH));
const prekeyId = z.number().check(z.int(), z.minimum(0), z.maximum(PREKEY_ID_MAX));

const prekeyDataSchema = z.strictObject({
  identity: identityKeysWireSchema,
  ephemeralKey: fixedBytesField(KEY_BYTES),
  signedPreKeyId: prekeyId,
  oneTimePreKeyId: z.optional(prekeyId),
});
export type PrekeyData = z.infer<typeof prekeyDataSchema>;

const entryFields = {
  device: deviceId,
  header: fixedBytesField(HEADER_BYTES),
  ciphertext: boundedBytesField(AES_GCM_TAG_BYTES, CIPHERTEXT_MAX_BYTES),
};

const recipientEntrySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('message'), ...entryFields }),
  z.strictObject({ type: z.literal('prekey'), ...entryFields, prekey: prekeyDataSchema }),
]);
export type RecipientEntry = z.infer<typeof recipientEntrySchema>;

export const envelopeSchema = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  senderDevice: deviceId,
  recipients: z.array(recipientEntrySchema).check(z.minLength(1), z.maxLength(ENVELOPE_RECIPIENTS_MAX)),
});
/** The JSON form of an encrypted message. */
export type Envelope = z.infer<typeof envelopeSchema>;

export function requireDeviceId(device: string, what: string): void {
  if (device.length < 1 || device.length > DEVICE_ID_MAX_LENGTH) {
    throw new RangeError(
      `${what} "${device}" has ${device.length} characters, outside 1..${DEVICE_ID_MAX_LENGTH} (DEVICE_ID_MAX_LENGTH)`,
    );
  }
}

/**
 * Checks an envelope received from the network. Throws DecryptError with
 * `unsupported_version` for any `v` other than ENVELOPE_VERSION (checked
 * first, because a later version may change every other field) and `tampered`
 * for a shape that does not fit, naming the field.
 */
export function parseEnvelope(value: unknown): Envelope {
  const version = typeof value === 'object' && value !== null ? (value as { v?: unknown }).v : undefined;
  if (version !== ENVELOPE_VERSION) {
    throw new DecryptError('unsupported_version', `envelope version ${String(version)} is not ${ENVELOPE_VERSION}`);
  }

  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) {
    throw new DecryptError('tampered', `invalid envelope: ${describeIssue(parsed.error.issues[0]!)}`);
  }

  const devices = new Set<string>();
  for (const entry of parsed.data.recipients) {
    if (devices.has(entry.device)) {
      throw new DecryptError('tampered', `invalid envelope: device ${entry.device} appears twice`);
    }
    devices.add(entry.device);
  }
  return parsed.data;
}

/** Finds this device's entry, or throws DecryptError `not_for_this_device`. */
export function entryForDevice(envelope: Envelope, device: string): RecipientEntry {
  const entry = envelope.recipients.find((candidate) => candidate.device === device);
  if (!entry) {
    const listed = envelope.recipients.map((candidate) => candidate.device).join(', ');
    throw new DecryptError('not_for_this_device', `envelope is addressed to devices ${listed}, not to ${device}`);
  }
  return entry;
}

/**
 * Builds the per-message associated data that binds an entry to its sender
 * and recipient device: uint8 length || UTF-8 sender id || uint8 length || UTF-8
 * recipient id. A server that relabels an entry makes it fail as `tampered`.
 */
export function deviceContext(senderDevice: string, recipientDevice: string): Bytes {
  const sender = utf8Encode(senderDevice);
  const recipient = utf8Encode(recipientDevice);
  if (sender.length > 255 || recipient.length > 255) {
    throw new RangeError('device ids over 255 UTF-8 bytes cannot be length-prefixed with one byte');
  }
  return concatBytes(new Uint8Array([sender.length]), sender, new Uint8Array([recipient.length]), recipient);
}
