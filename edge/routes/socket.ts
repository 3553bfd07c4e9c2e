// GET /ws: authenticates the upgrade and hands it to the user's Durable
// Object, which owns the socket from then on. A signed token is verified
// without D1 (edge/auth/session-token.ts) and the object refuses revoked
// sessions; any other token is looked up in D1.

import { Hono } from 'hono';
import { PROTOCOL_SUBPROTOCOL } from '../../protocol/frames';
import { authenticateToken } from '../auth/authenticate';
import { verifySessionToken, type TokenIdentity } from '../auth/session-token';
import type { Database } from '../db/client';
import type { Env } from '../env';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { bearerTokenOf, parseSubprotocols, rejectedSocketResponse } from '../objects/sockets';
import { SESSION_ID_HEADER, USER_ID_HEADER, userObject } from '../objects/user-object';

export const socketRoutes = new Hono<AppEnv>();

socketRoutes.get('/ws', async (c) => {
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(426, 'invalid_request', 'GET /ws expects a WebSocket upgrade (Upgrade: websocket).');
  }
  const subprotocols = parseSubprotocols(c.req.header('Sec-WebSocket-Protocol'));
  if (!subprotocols.includes(PROTOCOL_SUBPROTOCOL)) {
    throw new ApiError(400, 'invalid_request', `The upgrade must offer the subprotocol ${PROTOCOL_SUBPROTOCOL}.`);
  }

  const token = bearerTokenOf(subprotocols);
  const session = token ? await socketIdentity(c.env, c.var.db, token) : undefined;
  if (!session) {
    c.var.log.info('rejected a socket upgrade without an active session', { bearerOffered: token !== undefined });
    return rejectedSocketResponse('The session token is missing, unknown or revoked; sign in again.');
  }

  // Only what the object needs travels on; the token stays here.
  const forwarded = new Request(c.req.url, {
    headers: {
      Upgrade: 'websocket',
      [USER_ID_HEADER]: session.userId,
      [SESSION_ID_HEADER]: session.sessionId,
    },
  });
  return userObject(c.env, session.userId).fetch(forwarded);
});

async function socketIdentity(env: Env, db: Database, token: string): Promise<TokenIdentity | undefined> {
  const signed = await verifySessionToken(env, token);
  if (signed) return signed;

  const session = await authenticateToken(db, token);
  return session ? { sessionId: session.id, userId: session.userId } : undefined;
}
