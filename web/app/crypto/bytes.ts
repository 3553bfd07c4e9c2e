// Byte helpers shared by the end-to-end encryption modules: concatenation,
// constant-time comparison, base64url (RFC 4648 section 5, no padding),
// UTF-8 and big-endian integers.

/**
 * A byte array backed by a plain ArrayBuffer. TypeScript's BufferSource type
 * (lib.dom of TypeScript 5.9), which WebCrypto calls take, excludes views over
 * a SharedArrayBuffer, so every byte value in this library uses this type.
 */
export type Bytes = Uint8Array<ArrayBuffer>;

export function isBytes(value: unknown): value is Bytes {
  return value instanceof Uint8Array && value.buffer instanceof ArrayBuffer;
}

export function concatBytes(...parts: Uint8Array[]): Bytes {
  let length = 0;
  for (const part of parts) length += part.length;

  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Compares two byte arrays without an early exit, so the running time does
 * not reveal where the first difference is. A JavaScript engine gives no
 * hard timing guarantee, but no branch depends on the contents.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;

  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Bytes per String.fromCharCode call, well below the argument count engines accept. */
const CHAR_CODES_PER_CALL = 8192;

/**
 * The engine's `Uint8Array.fromBase64` and `toBase64`, where it has them
 * (Chromium 156 does, Node 20 does not). They skip the binary strings of
 * `btoa` and `atob`, which showed in profiles of a 10,000-message catch-up.
 */
interface Base64Constructor {
  fromBase64?(text: string, options: { alphabet: 'base64url'; lastChunkHandling: 'loose' }): Bytes;
}
interface Base64Prototype {
  toBase64?(this: Uint8Array, options: { alphabet: 'base64url'; omitPadding: true }): string;
}
const nativeFromBase64 = (Uint8Array as unknown as Base64Constructor).fromBase64?.bind(Uint8Array);
const nativeToBase64 = (Uint8Array.prototype as unknown as Base64Prototype).toBase64;

/** Encodes bytes as unpadded base64url. */
export function toBase64Url(bytes: Uint8Array): string {
  if (nativeToBase64) return nativeToBase64.call(bytes, { alphabet: 'base64url', omitPadding: true });

  let binary = '';
  for (let start = 0; start < bytes.length; start += CHAR_CODES_PER_CALL) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHAR_CODES_PER_CALL));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Returns whether the last character of unpadded base64url text leaves bits
 * unused that are not zero: 4 bits when the text ends with one byte, 2 when
 * it ends with two. Such text decodes to the same bytes as the canonical form.
 */
function hasTrailingBits(text: string): boolean {
  const remainder = text.length % 4;
  if (remainder === 0) return false;

  const last = BASE64URL_ALPHABET.indexOf(text[text.length - 1]!);
  const unusedMask = remainder === 2 ? 0x0f : 0x03;
  return (last & unusedMask) !== 0;
}

/**
 * Decodes unpadded base64url. Throws a SyntaxError on padding, on characters
 * outside the URL-safe alphabet and on a length that no byte string encodes,
 * so that one byte string has exactly one accepted text form.
 */
export function fromBase64Url(text: string): Bytes {
  if (text.length % 4 === 1) throw invalidBase64(text);
  const bytes = nativeFromBase64 ? fromBase64Native(text) : fromBase64Scanned(text);

  // Checked after the alphabet: the last character of text that passed it is in BASE64URL_ALPHABET.
  if (hasTrailingBits(text)) {
    throw new SyntaxError('invalid base64url string: non-zero trailing bits');
  }
  return bytes;
}

function fromBase64Scanned(text: string): Bytes {
  if (!BASE64URL_PATTERN.test(text)) throw invalidBase64(text);
  return decodeWithAtob(text);
}

/**
 * Decodes with the engine's decoder, which rejects other characters but
 * skips ASCII whitespace and takes padding. Either makes the text longer
 * than the canonical form of the bytes it gives, so comparing lengths
 * replaces a scan of the text, which showed in profiles of a catch-up.
 */
function fromBase64Native(text: string): Bytes {
  let bytes: Bytes;
  try {
    bytes = nativeFromBase64!(text, { alphabet: 'base64url', lastChunkHandling: 'loose' });
  } catch {
    throw invalidBase64(text);
  }
  if (text.length !== Math.ceil((bytes.length * 4) / 3)) throw invalidBase64(text);
  return bytes;
}

function invalidBase64(text: string): SyntaxError {
  return new SyntaxError(`invalid base64url string of length ${text.length}`);
}

function decodeWithAtob(text: string): Bytes {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// Shared by every call, because constructing them per call showed in profiles of a catch-up.
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Bytes {
  return textEncoder.encode(text);
}

/** Decodes UTF-8 and throws a TypeError on malformed input instead of inserting U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}

export const UINT32_MAX = 0xffff_ffff;

export function encodeUint32(value: number): Bytes {
  if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
    throw new RangeError(`value ${value} is not an integer from 0 to ${UINT32_MAX}`);
  }

  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

export function decodeUint32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}
