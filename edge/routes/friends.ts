// Friend requests and friendships. Each step appends a `friend` event to the
// other user's inbox: `requested` (with the message and expiry), `accepted`,
// `declined` and `removed`.

import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { USER_LIST_PAGE_DEFAULT, USER_LIST_PAGE_MAX } from '../../protocol/limits';
import {
  friendRequestBodySchema,
  type FriendAction,
  type FriendRequestListResponse,
  type FriendRequestResult,
} from '../../protocol/relations';
import { requireSession } from '../auth/authenticate';
import {
  acceptFriendRequest,
  declineFriendRequest,
  listFriendRequests,
  removeFriendship,
  requestPositionSchema,
  sendFriendRequest,
} from '../db/friends';
import { readPairState } from '../db/relations';
import { findUserById, toUserSummary, type UserRow } from '../db/users';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readJsonBody } from '../http/json-body';
import { encodeCursor, readCursor, readPageLimit } from '../http/paging';
import { appendInboxEvent } from '../relations/inbox-events';
import { checkRequestMessage } from '../relations/request-message';
import { decideFriendRequest } from '../relations/rules';
import { notAllowed, requireOtherUser } from '../relations/target-user';
import { validate } from '../validation';
import { userListResponse } from './user-list-response';

export const friendRoutes = new Hono<AppEnv>();

/**
 * Sends a friend request, replacing a pending one to the same user. When the
 * other user had already asked, both become friends at once (200
 * `{status: "friends"}`); otherwise 201 with the pending request.
 */
friendRoutes.post('/friend-requests', requireSession, async (c) => {
  const body = await readJsonBody(c, friendRequestBodySchema);
  const message = checkRequestMessage(body.message);
  const me = c.var.session.userId;
  const target = await requireOtherUser(c.var.db, me, body.userId, 'send a friend request to');
  const now = Date.now();

  const decision = decideFriendRequest(await readPairState(c.var.db, me, target.id, now));
  if (decision === 'reject') throw notAllowed('send a friend request to');
  if (decision === 'already_friends') return c.json({ status: 'friends' } satisfies FriendRequestResult, 200);

  const outcome = await sendFriendRequest(c.var.db, me, target.id, message, now);
  switch (outcome.status) {
    case 'blocked':
      throw notAllowed('send a friend request to');
    case 'friends':
      if (outcome.created) await notifyFriendStep(c, target.id, 'accepted');
      c.var.log.info('became friends through crossing requests', { friendId: target.id });
      return c.json({ status: 'friends' } satisfies FriendRequestResult, 200);
    case 'pending': {
      await notifyFriendStep(c, target.id, 'requested', { message, expiresAt: outcome.expiresAt });
      const result: FriendRequestResult = {
        status: 'pending',
        request: { user: toUserSummary(target), message, createdAt: now, expiresAt: outcome.expiresAt },
      };
      return c.json(result, 201);
    }
    default: {
      const unreachable: never = outcome;
      throw new Error(`Unknown friend request outcome ${JSON.stringify(unreachable)}`);
    }
  }
});

const directionSchema = z.enum(['incoming', 'outgoing']);

/** Pending requests to the caller (`direction=incoming`, the default) or from the caller (`outgoing`), newest first. */
friendRoutes.get('/me/friend-requests', requireSession, async (c) => {
  const direction = validate(directionSchema, c.req.query('direction') ?? 'incoming');
  if (!direction.ok) {
    throw new ApiError(400, 'invalid_request', 'direction must be "incoming" or "outgoing".', { field: 'direction' });
  }
  const limit = readPageLimit(c, USER_LIST_PAGE_DEFAULT, USER_LIST_PAGE_MAX);
  const after = readCursor(c, requestPositionSchema);

  const page = await listFriendRequests(c.var.db, c.var.session.userId, direction.value, limit, after, Date.now());
  const response: FriendRequestListResponse = {
    requests: page.requests,
    nextCursor: page.next ? encodeCursor(page.next) : null,
  };
  return c.json(response);
});

friendRoutes.post('/friend-requests/:userId/accept', requireSession, async (c) => {
  const requesterId = c.req.param('userId');
  const accepted = await acceptFriendRequest(c.var.db, c.var.session.userId, requesterId, Date.now());
  if (!accepted) throw noPendingRequest(requesterId);

  await notifyFriendStep(c, requesterId, 'accepted');
  c.var.log.info('accepted a friend request', { friendId: requesterId });
  return c.body(null, 204);
});

friendRoutes.post('/friend-requests/:userId/decline', requireSession, async (c) => {
  const requesterId = c.req.param('userId');
  const declined = await declineFriendRequest(c.var.db, c.var.session.userId, requesterId, Date.now());
  if (!declined) throw noPendingRequest(requesterId);

  await notifyFriendStep(c, requesterId, 'declined');
  return c.body(null, 204);
});

friendRoutes.get('/me/friends', requireSession, (c) => userListResponse(c, 'friends'));

/** Ends a friendship; either friend may. 404 when they are not friends. */
friendRoutes.delete('/friends/:userId', requireSession, async (c) => {
  const friendId = c.req.param('userId');
  const removed = await removeFriendship(c.var.db, c.var.session.userId, friendId);
  if (!removed) throw notFound(`A friend with the id ${JSON.stringify(friendId)}`);

  await notifyFriendStep(c, friendId, 'removed');
  return c.body(null, 204);
});

function noPendingRequest(requesterId: string): ApiError {
  return notFound(`A pending friend request from the user ${JSON.stringify(requesterId)}`);
}

/** Appends a `friend` event to the inbox of `otherId`, naming the caller as the user who took the step. */
async function notifyFriendStep(
  c: Context<AppEnv>,
  otherId: string,
  action: FriendAction,
  details: { message?: string; expiresAt?: number } = {},
): Promise<void> {
  const caller: UserRow | undefined = await findUserById(c.var.db, c.var.session.userId);
  if (!caller) return;
  await appendInboxEvent(c.env, c.var.log, otherId, { kind: 'friend', action, user: toUserSummary(caller), ...details });
}
