// Safety numbers: 60 digits that two people compare (read aloud or by QR
// code) to check that no one substituted identity keys between them. The
// construction follows Signal's numeric fingerprint:
//
//   per user:  h0 = uint16be(version 0) || keys || UTF-8 user id
//              h(i+1) = SHA-512(h(i) || keys), 5200 times
//              the first 30 bytes of the result, as six 5-byte big-endian
//              integers, each mod 100000 and padded to 5 digits -> 30 digits
//   number:    the two 30-digit strings, the smaller one first -> 60 digits
//
// `keys` is the concatenation of the user's device identity signing keys in
// byte order, because in Feige every device has its own identity. The number
// therefore changes when either user adds or replaces a device.

import { concatBytes, utf8Encode, type Bytes } from './bytes';
import { KEY_BYTES, sha512 } from './primitives';

export const SAFETY_NUMBER_VERSION = 0;

/** SHA-512 iterations per user, Signal's value: a cost for anyone searching for a colliding key. */
export const SAFETY_NUMBER_ITERATIONS = 5200;

export const SAFETY_NUMBER_DIGITS = 60;
const DIGITS_PER_USER = 30;
const GROUP_DIGITS = 5;

export interface SafetyNumberParty {
  userId: string;
  /** Ed25519 identity signing keys of every device of the user, in any order. */
  identityKeys: Bytes[];
}

function compareBytes(a: Bytes, b: Bytes): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

function versionBytes(): Bytes {
  return new Uint8Array([SAFETY_NUMBER_VERSION >> 8, SAFETY_NUMBER_VERSION & 0xff]);
}

/** Computes the 30-digit half of a safety number that belongs to one user. */
export async function userFingerprint(party: SafetyNumberParty): Promise<string> {
  if (party.identityKeys.length === 0) throw new RangeError(`user ${party.userId} has no identity keys`);
  for (const key of party.identityKeys) {
    if (key.length !== KEY_BYTES) {
      throw new RangeError(`identity key of user ${party.userId} is ${key.length} bytes, not ${KEY_BYTES}`);
    }
  }

  const keys = concatBytes(...[...party.identityKeys].sort(compareBytes));
  let hash = concatBytes(versionBytes(), keys, utf8Encode(party.userId));
  for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) hash = await sha512(concatBytes(hash, keys));

  let digits = '';
  for (let chunk = 0; chunk < DIGITS_PER_USER / GROUP_DIGITS; chunk++) {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 256 + hash[chunk * 5 + i]!;
    digits += String(value % 100_000).padStart(GROUP_DIGITS, '0');
  }
  return digits;
}

/** Computes the 60-digit safety number of two users; both sides get the same digits whatever the order. */
export async function safetyNumber(a: SafetyNumberParty, b: SafetyNumberParty): Promise<string> {
  const first = await userFingerprint(a);
  const second = await userFingerprint(b);
  return first < second ? first + second : second + first;
}

/** Splits a safety number into 12 groups of 5 digits for display. */
export function formatSafetyNumber(digits: string): string[] {
  if (!/^\d+$/.test(digits) || digits.length !== SAFETY_NUMBER_DIGITS) {
    throw new RangeError(`a safety number has ${SAFETY_NUMBER_DIGITS} digits, got "${digits}"`);
  }
  return digits.match(/\d{5}/g)!;
}
