// Inputs of the base64url check that runs in Chromium and in Node, kept apart
// from entry.ts, which only runs in a page.

export const BASE64_SAMPLE_LENGTHS = 70;

/** Texts that are not canonical unpadded base64url: padding, whitespace, other alphabets, a dangling character, trailing bits. */
export const BASE64_INVALID_TEXTS = ['AA==', 'AAA=', 'AA AA', 'A+/A', 'AAAAA', 'AB', 'AAB', ' AAAA', 'AAA AAAA', 'AAAAAA==', 'AAAAAAA\n'];

export function base64Sample(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 37 + length * 11) & 0xff);
}
