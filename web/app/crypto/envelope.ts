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

import {
  CIPHERTEXT_MAX_BYTES,
  ENVELOPE_VERSION,
  envelopeSchema,
  type Envelope,
  type PrekeyData,
  type RecipientEntry,
} from '../../../protocol/envelope';
import { DEVICE_ID_MAX_LENGTH, ENVELOPE_RECIPIENTS_MAX } from '../../../protocol/limits';
import { concatBytes, utf8Encode, type Bytes } from './bytes';
import { DecryptError } from './errors';
import { describeIssue } from './schemas';

// The wire shapes live in protocol/envelope.ts, because the edge checks them
// too; these re-exports keep the library's callers on one import.
export { CIPHERTEXT_MAX_BYTES, DEVICE_ID_MAX_LENGTH, ENVELOPE_RECIPIENTS_MAX, ENVELOPE_VERSION, envelopeSchema };
export type { Envelope, PrekeyData, RecipientEntry };

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
