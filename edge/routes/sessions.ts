// Sign-in, session listing and sign-out.

import { Hono } from 'hono';
import { signInRequestSchema, type AuthResponse, type SessionListResponse } from '../../protocol/api';
import { usernameKey } from '../accounts/rules';
import { requireSession } from '../auth/authenticate';
import { kickSessions, openSession } from '../auth/open-session';
import { spendPasswordWork, verifyPassword } from '../auth/password';
import { listActiveSessions, revokeSession, toSessionInfo } from '../db/sessions';
import { findUserByUsernameKey, toOwnProfile } from '../db/users';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readJsonBody } from '../http/json-body';

export const sessionRoutes = new Hono<AppEnv>();

sessionRoutes.post('/sessions', async (c) => {
  const body = await readJsonBody(c, signInRequestSchema);

  const user = await findUserByUsernameKey(c.var.db, usernameKey(body.username));
  if (!user) {
    await spendPasswordWork(body.password);
    throw invalidCredentials();
  }
  const passwordMatches = await verifyPassword(body.password, {
    hash: user.passwordHash,
    salt: user.passwordSalt,
    iterations: user.passwordIterations,
  });
  if (!passwordMatches) throw invalidCredentials();

  const opened = await openSession(c.env, c.var.db, c.var.log, {
    userId: user.id,
    userAgent: c.req.header('User-Agent') ?? '',
  });

  c.var.log.info('signed in', { userId: user.id, sessionId: opened.session.id });
  const response: AuthResponse = {
    token: opened.token,
    session: toSessionInfo(opened.session, opened.session.id),
    user: toOwnProfile(user),
  };
  return c.json(response, 201);
});

sessionRoutes.get('/sessions', requireSession, async (c) => {
  const current = c.var.session;
  const rows = await listActiveSessions(c.var.db, current.userId);
  const response: SessionListResponse = { sessions: rows.map((row) => toSessionInfo(row, current.id)) };
  return c.json(response);
});

sessionRoutes.delete('/sessions/current', requireSession, async (c) => {
  const current = c.var.session;
  await signOut(c.env, c.var, current.userId, current.id);
  return c.body(null, 204);
});

sessionRoutes.delete('/sessions/:id', requireSession, async (c) => {
  const current = c.var.session;
  const signedOut = await signOut(c.env, c.var, current.userId, c.req.param('id'));
  if (!signedOut) throw notFound('An active session of yours with this id');
  return c.body(null, 204);
});

/** Revokes a session of `userId` in D1, then kicks its sockets; false when there is no such active session. */
async function signOut(
  env: AppEnv['Bindings'],
  vars: Pick<AppEnv['Variables'], 'db' | 'log'>,
  userId: string,
  sessionId: string,
): Promise<boolean> {
  const revoked = await revokeSession(vars.db, userId, sessionId, 'signed_out', Date.now());
  if (!revoked) return false;

  vars.log.info('signed out a session', { signedOutSessionId: sessionId });
  await kickSessions(env, vars.log, userId, [sessionId], 'signed_out');
  return true;
}

function invalidCredentials(): ApiError {
  return new ApiError(401, 'invalid_credentials', 'The username or password is wrong.');
}
