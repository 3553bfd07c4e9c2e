// Creating and revoking sessions, with the forced sign-out that keeps at most
// SESSIONS_PER_DEVICE_CLASS sessions per device class.

import type { Database } from '../db/client';
import {
  insertSessionStatement,
  revokeSessionsBeyondStatement,
  type RevokeReason,
  type SessionRow,
} from '../db/sessions';
import { insertUserStatement, type NewUserRow } from '../db/users';
import type { Env } from '../env';
import type { Logger } from '../log';
import { userObject } from '../objects/user-object';
import { notifyRelationsChanged } from '../relations/relation-changes';
import { deviceClassOf } from './device-class';
import { sessionsPerDeviceClass } from './session-limit';
import { issueSessionToken } from './session-token';
import { hashToken, newId } from './tokens';

/** Longer User-Agent headers are cut to this many characters before they are stored. */
export const USER_AGENT_MAX_CHARS = 512;

export interface OpenedSession {
  /** The bearer token; returned to the client once and stored only as its hash. */
  token: string;
  session: SessionRow;
}

export interface OpenSessionRequest {
  userId: string;
  userAgent: string;
  /** An account to create in the same D1 transaction, for registration. */
  newUser?: NewUserRow;
}

/**
 * Creates a session and, in the same D1 batch (one transaction), revokes the
 * oldest active sessions of its device class beyond the limit. Then their
 * sockets are kicked through the user's Durable Object.
 */
export async function openSession(env: Env, db: Database, log: Logger, request: OpenSessionRequest): Promise<OpenedSession> {
  const keep = sessionsPerDeviceClass(env);
  const sessionId = newId();
  const token = await issueSessionToken(env, { sessionId, userId: request.userId });
  const now = Date.now();
  const session: SessionRow = {
    id: sessionId,
    userId: request.userId,
    tokenHash: await hashToken(token),
    deviceClass: deviceClassOf(request.userAgent),
    userAgent: Array.from(request.userAgent).slice(0, USER_AGENT_MAX_CHARS).join(''),
    createdAt: now,
    lastSeenAt: now,
    revokedAt: null,
    revokedReason: null,
  };

  const insertSession = insertSessionStatement(db, session);
  const revokeExtra = revokeSessionsBeyondStatement(db, request.userId, session.deviceClass, keep, now);
  const revoked = request.newUser
    ? (await db.batch([insertUserStatement(db, request.newUser), insertSession, revokeExtra]))[2]
    : (await db.batch([insertSession, revokeExtra]))[1];

  const revokedIds = revoked.map((row) => row.id);
  if (revokedIds.length > 0) {
    log.info('signed out older sessions of the same device class', {
      userId: request.userId,
      deviceClass: session.deviceClass,
      revokedSessionIds: revokedIds,
    });
    await kickSessions(env, log, request.userId, revokedIds, 'signed_in_elsewhere');
  }
  return { token, session };
}

/**
 * Tells the user's Durable Object to kick sockets of sessions already revoked
 * in D1, and drops the cached device lists that still hold their devices. A failure here is logged and not raised, because the D1 revocation is
 * already in effect and every route rejects the session.
 */
export async function kickSessions(
  env: Env,
  log: Logger,
  userId: string,
  sessionIds: string[],
  reason: RevokeReason,
): Promise<void> {
  try {
    await userObject(env, userId).revokeSessions(sessionIds, reason);
  } catch (error) {
    // TODO: the sockets of these sessions stay open until they reconnect, and
    // the object still accepts upgrades with their signed tokens. A retry
    // (for example from a Queue) would close that gap.
    log.error('kicking revoked sessions failed', { userId, sessionIds, reason, error });
  }
  await notifyRelationsChanged(env, log, userId);
}
