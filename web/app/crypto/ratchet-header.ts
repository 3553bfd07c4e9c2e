// The Double Ratchet message header and its fixed 40-byte encoding:
//
//   bytes 0..31   the sender's current ratchet public key (X25519)
//   bytes 32..35  PN, the length of the sender's previous sending chain (uint32, big-endian)
//   bytes 36..39  N, this message's number in the current sending chain (uint32, big-endian)
//
// The encoded header is part of the AES-GCM associated data, so a changed
// header byte fails decryption.

import { concatBytes, decodeUint32, encodeUint32, UINT32_MAX, type Bytes } from './bytes';
import { DecryptError } from './errors';
import { KEY_BYTES } from './primitives';

export const HEADER_BYTES = KEY_BYTES + 4 + 4;

/** The largest PN or N a header can carry. */
export const HEADER_COUNTER_MAX = UINT32_MAX;

export interface MessageHeader {
  ratchetKey: Bytes;
  previousChainLength: number;
  messageNumber: number;
}

export function encodeHeader(header: MessageHeader): Bytes {
  if (header.ratchetKey.length !== KEY_BYTES) {
    throw new RangeError(`header ratchet key must be ${KEY_BYTES} bytes, got ${header.ratchetKey.length}`);
  }
  for (const [name, value] of [
    ['previousChainLength', header.previousChainLength],
    ['messageNumber', header.messageNumber],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > HEADER_COUNTER_MAX) {
      throw new RangeError(`header ${name} ${value} is outside 0..${HEADER_COUNTER_MAX} (HEADER_COUNTER_MAX)`);
    }
  }

  return concatBytes(header.ratchetKey, encodeUint32(header.previousChainLength), encodeUint32(header.messageNumber));
}

export function decodeHeader(bytes: Bytes): MessageHeader {
  if (bytes.length !== HEADER_BYTES) {
    throw new DecryptError('tampered', `message header must be ${HEADER_BYTES} bytes, got ${bytes.length}`);
  }

  return {
    ratchetKey: bytes.slice(0, KEY_BYTES),
    previousChainLength: decodeUint32(bytes, KEY_BYTES),
    messageNumber: decodeUint32(bytes, KEY_BYTES + 4),
  };
}
