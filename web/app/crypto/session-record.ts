// Everything this device keeps about one remote device: that device's
// identity keys and its sessions, newest first. Older sessions stay for a
// while because both sides can start a session at the same time, and
// messages already sent under the losing session must still decrypt.

import * as z from 'zod/mini';
import { constantTimeEqual, type Bytes } from './bytes';
import type { IdentityPublicKeys } from './identity';
import { PREKEY_ID_MAX } from './identity';
import { KEY_BYTES, SIGNATURE_BYTES } from './primitives';
import { ratchetStateSchema, type RatchetState } from './ratchet-state';
import { describeIssue, storedBytes } from './schemas';

/** Sessions kept per remote device: the current one and up to three older ones. */
export const SESSIONS_PER_PEER_MAX = 4;

/** The X3DH values an initiator sends with every message until the responder first replies. */
export interface PendingPreKey {
  ephemeralKey: Bytes;
  signedPreKeyId: number;
  oneTimePreKeyId: number | null;
}

export interface Session {
  /** The X3DH ephemeral public key that started the session; both sides store the same value. */
  baseKey: Bytes;
  ratchet: RatchetState;
  /** Set on the initiator's side until a message from the responder decrypts under this session. */
  pendingPreKey: PendingPreKey | null;
}

export interface PeerSessionRecord {
  peerDevice: string;
  peerIdentity: IdentityPublicKeys;
  /** Newest first, at most SESSIONS_PER_PEER_MAX. */
  sessions: Session[];
}

export function sameIdentity(a: IdentityPublicKeys, b: IdentityPublicKeys): boolean {
  return constantTimeEqual(a.signingKey, b.signingKey) && constantTimeEqual(a.dhKey, b.dhKey);
}

/** Puts `session` first and drops the oldest sessions past SESSIONS_PER_PEER_MAX. */
export function withCurrentSession(sessions: Session[], session: Session, replacing?: Session): Session[] {
  const others = sessions.filter((candidate) => candidate !== replacing);
  return [session, ...others].slice(0, SESSIONS_PER_PEER_MAX);
}


const prekeyId = z.number().check(z.int(), z.minimum(0), z.maximum(PREKEY_ID_MAX));

export const peerSessionRecordSchema = z.object({
  peerDevice: z.string(),
  peerIdentity: z.object({
    signingKey: storedBytes(KEY_BYTES),
    dhKey: storedBytes(KEY_BYTES),
    dhKeySignature: storedBytes(SIGNATURE_BYTES),
  }),
  sessions: z
    .array(
      z.object({
        baseKey: storedBytes(KEY_BYTES),
        ratchet: ratchetStateSchema,
        pendingPreKey: z.nullable(
          z.object({
            ephemeralKey: storedBytes(KEY_BYTES),
            signedPreKeyId: prekeyId,
            oneTimePreKeyId: z.nullable(prekeyId),
          }),
        ),
      }),
    )
    .check(z.maxLength(SESSIONS_PER_PEER_MAX)),
});

/** Checks a record read back from storage. Throws a TypeError naming the first field that does not fit. */
export function restorePeerSessionRecord(value: unknown): PeerSessionRecord {
  const parsed = peerSessionRecordSchema.safeParse(value);
  if (!parsed.success) {
    throw new TypeError(`invalid peer session record: ${describeIssue(parsed.error.issues[0]!)}`);
  }
  return parsed.data;
}
