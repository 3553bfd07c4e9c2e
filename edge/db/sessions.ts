// D1 access to the `sessions` table.

import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DeviceClass, SessionInfo } from '../../protocol/api';
import type { Database } from './client';
import { sessions } from './schema';

export type SessionRow = typeof sessions.$inferSelect;
export type NewSessionRow = typeof sessions.$inferInsert;
export type RevokeReason = NonNullable<SessionRow['revokedReason']>;

export function insertSessionStatement(db: Database, row: NewSessionRow) {
  return db.insert(sessions).values(row);
}

/**
 * Revokes the active sessions of one user and device class beyond the newest
 * `keep`, returning their ids. Newest means latest `created_at`, then latest
 * rowid, so two sign-ins that race agree on which one survives.
 */
export function revokeSessionsBeyondStatement(
  db: Database,
  userId: string,
  deviceClass: DeviceClass,
  keep: number,
  now: number,
) {
  // SQLite needs a LIMIT before OFFSET and drizzle drops a negative one, so the
  // subquery is written out. Every value in it is a bound parameter.
  const extraSessions = sql`(select ${sessions.id} from ${sessions}
    where ${sessions.userId} = ${userId}
      and ${sessions.deviceClass} = ${deviceClass}
      and ${sessions.revokedAt} is null
    order by ${sessions.createdAt} desc, rowid desc
    limit -1 offset ${keep})`;

  return db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: 'signed_in_elsewhere' })
    .where(inArray(sessions.id, extraSessions))
    .returning({ id: sessions.id });
}

/** Returns the session with this token hash, unless it is revoked. */
export async function findActiveSessionByTokenHash(db: Database, tokenHash: string): Promise<SessionRow | undefined> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)))
    .get();
}

export async function listActiveSessions(db: Database, userId: string): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .orderBy(desc(sessions.createdAt))
    .all();
}

/** Revokes one active session of `userId`; returns false when there is none with that id. */
export async function revokeSession(
  db: Database,
  userId: string,
  sessionId: string,
  reason: RevokeReason,
  now: number,
): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id })
    .all();
  return revoked.length > 0;
}

export async function touchSession(db: Database, sessionId: string, now: number): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sessionId)).run();
}

export function toSessionInfo(row: SessionRow, currentSessionId: string): SessionInfo {
  return {
    id: row.id,
    deviceClass: row.deviceClass,
    userAgent: row.userAgent,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    current: row.id === currentSessionId,
  };
}
