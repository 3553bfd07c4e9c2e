// Follows: follow, unfollow, and the caller's following and followers lists.

import { Hono } from 'hono';
import { requireSession } from '../auth/authenticate';
import { deleteFollow, insertFollow } from '../db/follows';
import { readPairState } from '../db/relations';
import { findUserById, toUserSummary } from '../db/users';
import type { AppEnv } from '../http/app-env';
import { appendInboxEvent } from '../relations/inbox-events';
import { notifyRelationsChanged } from '../relations/relation-changes';
import { mayFollow } from '../relations/rules';
import { notAllowed, requireOtherUser } from '../relations/target-user';
import { userListResponse } from './user-list-response';

export const followRoutes = new Hono<AppEnv>();

/** Follows a user; the first follow appends a `follow` event to their inbox. 403 `not_allowed` across a block. */
followRoutes.put('/following/:userId', requireSession, async (c) => {
  const me = c.var.session.userId;
  const target = await requireOtherUser(c.var.db, me, c.req.param('userId'), 'follow');
  const now = Date.now();

  const state = await readPairState(c.var.db, me, target.id, now);
  if (!mayFollow(state)) throw notAllowed('follow');

  const added = await insertFollow(c.var.db, me, target.id, now);
  if (added) {
    const follower = await findUserById(c.var.db, me);
    if (follower) await appendInboxEvent(c.env, c.var.log, target.id, { kind: 'follow', follower: toUserSummary(follower) });
    c.var.log.info('followed a user', { followeeId: target.id });
  }
  return c.body(null, 204);
});

/** Unfollows; unfollowing someone not followed is not an error. No event. */
followRoutes.delete('/following/:userId', requireSession, async (c) => {
  await deleteFollow(c.var.db, c.var.session.userId, c.req.param('userId'));
  await notifyRelationsChanged(c.env, c.var.log, c.var.session.userId);
  return c.body(null, 204);
});

followRoutes.get('/me/following', requireSession, (c) => userListResponse(c, 'following'));
followRoutes.get('/me/followers', requireSession, (c) => userListResponse(c, 'followers'));
