// Random identifiers and session tokens. Only SHA-256(token) is stored, so a
// leaked D1 copy cannot be replayed as a bearer token.

import { encodeBase64url } from './base64url';

/** 128 bits: ids only need to be unguessable enough not to collide. */
const ID_BYTES = 16;

/** 256 bits of entropy per bearer token. */
const TOKEN_BYTES = 32;

/** Returns a random URL-safe id of 22 characters, for users, sessions and messages. */
export function newId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(ID_BYTES)));
}

/** Returns a new bearer token of 43 base64url characters. */
export function newToken(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
}

/** SHA-256 of the token's UTF-8 bytes, base64url: the form D1 stores and looks up. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return encodeBase64url(new Uint8Array(digest));
}
