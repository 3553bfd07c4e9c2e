// GET /groups/:groupId/socket: authenticates the upgrade against D1, as GET
// /ws does, and hands it to the group's GroupDO, which accepts it only for a
// current member and pushes every new log entry to it.

import { Hono } from 'hono';
import { PROTOCOL_SUBPROTOCOL } from '../../protocol/frames';
import { authenticateToken } from '../auth/authenticate';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { groupObject } from '../objects/group-object';
import { bearerTokenOf, parseSubprotocols, rejectedSocketResponse } from '../objects/sockets';
import { USER_ID_HEADER } from '../objects/user-object';

export const groupSocketRoutes = new Hono<AppEnv>();

groupSocketRoutes.get('/groups/:groupId/socket', async (c) => {
  const groupId = c.req.param('groupId');
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(426, 'invalid_request', 'GET /groups/:groupId/socket expects a WebSocket upgrade (Upgrade: websocket).');
  }
  const subprotocols = parseSubprotocols(c.req.header('Sec-WebSocket-Protocol'));
  if (!subprotocols.includes(PROTOCOL_SUBPROTOCOL)) {
    throw new ApiError(400, 'invalid_request', `The upgrade must offer the subprotocol ${PROTOCOL_SUBPROTOCOL}.`);
  }

  const token = bearerTokenOf(subprotocols);
  const session = token ? await authenticateToken(c.var.db, token) : undefined;
  if (!session) {
    c.var.log.info('rejected a group socket upgrade without an active session', { groupId, bearerOffered: token !== undefined });
    return rejectedSocketResponse('The session token is missing, unknown or revoked; sign in again.');
  }

  // Only the user id travels on; the token stays here.
  const forwarded = new Request(c.req.url, {
    headers: { Upgrade: 'websocket', [USER_ID_HEADER]: session.userId },
  });
  return groupObject(c.env, groupId).fetch(forwarded);
});
