// Bearer-token checks. Every route looks the token up in D1, so a revoked
// session is refused from the moment D1 records it. Socket upgrades with a
// signed token skip D1 (session-token.ts) and rely on the user's object.

import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/client';
import { findActiveSessionByTokenHash, touchSession, type SessionRow } from '../db/sessions';
import { unauthorized } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { hashToken } from './tokens';

/** `last_seen_at` is written at most this often per session, to keep D1 writes off most requests. */
export const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;

const BEARER_PREFIX = /^Bearer\s+/i;

/** Returns the active session of `token`, or undefined when the token is unknown or revoked. */
export async function authenticateToken(db: Database, token: string): Promise<SessionRow | undefined> {
  const session = await findActiveSessionByTokenHash(db, await hashToken(token));
  if (!session) return undefined;

  const now = Date.now();
  if (now - session.lastSeenAt >= LAST_SEEN_WRITE_INTERVAL_MS) {
    await touchSession(db, session.id, now);
    session.lastSeenAt = now;
  }
  return session;
}

/** Requires `Authorization: Bearer <token>` of an active session and stores the session in `c.var.session`. */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('Authorization') ?? '';
  if (!BEARER_PREFIX.test(header)) throw unauthorized();

  const session = await authenticateToken(c.var.db, header.replace(BEARER_PREFIX, '').trim());
  if (!session) throw unauthorized();

  c.set('session', session);
  c.set('log', c.var.log.child({ userId: session.userId, sessionId: session.id }));
  await next();
};
