// Blocks. A block removes follows, the friendship and pending requests in
// both directions, and the blocked user gets no event. Unblocking restores nothing.

import { Hono } from 'hono';
import { requireSession } from '../auth/authenticate';
import { deleteBlock, insertBlock } from '../db/blocks';
import type { AppEnv } from '../http/app-env';
import { notifyRelationsChanged } from '../relations/relation-changes';
import { requireOtherUser } from '../relations/target-user';
import { userListResponse } from './user-list-response';

export const blockRoutes = new Hono<AppEnv>();

blockRoutes.put('/blocks/:userId', requireSession, async (c) => {
  const me = c.var.session.userId;
  const target = await requireOtherUser(c.var.db, me, c.req.param('userId'), 'block');

  await insertBlock(c.var.db, me, target.id, Date.now());
  await notifyRelationsChanged(c.env, c.var.log, me);
  c.var.log.info('blocked a user', { blockedId: target.id });
  return c.body(null, 204);
});

blockRoutes.delete('/blocks/:userId', requireSession, async (c) => {
  await deleteBlock(c.var.db, c.var.session.userId, c.req.param('userId'));
  await notifyRelationsChanged(c.env, c.var.log, c.var.session.userId);
  return c.body(null, 204);
});

blockRoutes.get('/me/blocks', requireSession, (c) => userListResponse(c, 'blocked'));
