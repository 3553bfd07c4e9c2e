// Ids of 1:1 messages, derived from the sender and the cid. The sender's
// object sends a new message to the recipient's object before it writes the
// message to its own inbox, so that the two storage commits overlap. If the
// sender's commit is lost after the recipient stored the message, a resend
// with the same cid must produce the same message, so its id cannot be random.

import { encodeBase64url } from '../auth/base64url';

/** Bytes of SHA-256 kept: 128 bits, the size of the random ids of `newId`, so both kinds are 22 characters. */
const MESSAGE_ID_BYTES = 16;

const encoder = new TextEncoder();

/** Returns the id of the message `senderId` sends with `cid`: base64url of the first 16 bytes of SHA-256 of both. */
export async function messageIdFor(senderId: string, cid: string): Promise<string> {
  // A user id never contains a newline, so two different pairs never hash the same input.
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(`${senderId}\n${cid}`));
  return encodeBase64url(new Uint8Array(digest, 0, MESSAGE_ID_BYTES));
}
