// Every input limit of Feige, shared by the edge (which enforces them) and the
// PWA (which checks them first so the user sees the limit in their language).
// docs/protocol.md lists them; tests exercise each at and one past its edge.

/** Usernames: ASCII letters, digits and underscore, starting with a letter. */
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Display names count Unicode code points, so Chinese names get the same room as Latin ones. */
export const DISPLAY_NAME_MAX_CHARS = 64;
export const BIO_MAX_CHARS = 280;

/** Passwords count code points; the upper bound caps PBKDF2 input work per request. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** UTF-8 bytes of one text message, the same order as the large messengers' limits. */
export const TEXT_MAX_BYTES = 4096;

/** Bytes of one WebSocket frame from a client; anything larger is rejected before parsing. */
export const FRAME_MAX_BYTES = 65_536;

/** Client ids are opaque strings chosen by the client, for example a UUID. */
export const CID_MIN_LENGTH = 8;
export const CID_MAX_LENGTH = 64;

/** Inbox events returned by one sync page. */
export const SYNC_PAGE_MAX = 200;

/** Bytes of one HTTP JSON request body. */
export const HTTP_BODY_MAX_BYTES = 16_384;

/** Counts Unicode code points, the unit of every character limit above. */
export function countChars(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** Counts UTF-8 bytes, the unit of TEXT_MAX_BYTES. */
export function countUtf8Bytes(value: string): number {
  return new TextEncoder().encode(value).byteLength;
}
