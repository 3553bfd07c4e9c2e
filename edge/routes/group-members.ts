// Group membership: applications and their decisions, invitations, the
// member list, leaving, kicking, nicknames, admins and ownership. GroupDO
// decides every permission; these routes check input and translate results.

import { Hono } from 'hono';
import * as z from 'zod/mini';
import {
  applyRequestSchema,
  nicknameRequestSchema,
  userIdRequestSchema,
  type GroupApplicationListResponse,
  type GroupMemberListResponse,
  type JoinResult,
} from '../../protocol/groups';
import { GROUP_MEMBER_PAGE_DEFAULT, GROUP_MEMBER_PAGE_MAX } from '../../protocol/limits';
import { requireSession } from '../auth/authenticate';
import { userExists } from '../db/users';
import { checkApplicationMessage, checkNickname } from '../groups/fields';
import { unwrap } from '../groups/results';
import { requireGroupRoom } from '../groups/room';
import { notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readJsonBody } from '../http/json-body';
import { encodeCursor, readCursor, readPageLimit } from '../http/paging';
import { groupObject } from '../objects/group-object';

export const groupMemberRoutes = new Hono<AppEnv>();

const memberPositionSchema = z.object({ rank: z.number(), joinSeq: z.number() });

/** 200 `{status: "joined"}` when the user is in; 202 `{status: "pending", applicationId}` when an admin decides. */
function joinStatus(result: JoinResult): 200 | 202 {
  return result.status === 'joined' ? 200 : 202;
}

groupMemberRoutes.post('/groups/:groupId/applications', requireSession, async (c) => {
  const body = await readJsonBody(c, applyRequestSchema);
  const message = checkApplicationMessage(body.message);
  await requireGroupRoom(c.var.db, c.var.session.userId);

  const result = unwrap(await groupObject(c.env, c.req.param('groupId')).apply(c.var.session.userId, message));
  return c.json(result, joinStatus(result));
});

/** Pending applications, oldest first; admins only. */
groupMemberRoutes.get('/groups/:groupId/applications', requireSession, async (c) => {
  const applications = unwrap(await groupObject(c.env, c.req.param('groupId')).applications(c.var.session.userId));
  return c.json({ applications } satisfies GroupApplicationListResponse);
});

groupMemberRoutes.post('/groups/:groupId/applications/:applicationId/approve', requireSession, async (c) => {
  const group = groupObject(c.env, c.req.param('groupId'));
  unwrap(await group.decide(c.var.session.userId, c.req.param('applicationId'), true));
  return c.body(null, 204);
});

groupMemberRoutes.post('/groups/:groupId/applications/:applicationId/reject', requireSession, async (c) => {
  const group = groupObject(c.env, c.req.param('groupId'));
  unwrap(await group.decide(c.var.session.userId, c.req.param('applicationId'), false));
  return c.body(null, 204);
});

groupMemberRoutes.post('/groups/:groupId/invitations', requireSession, async (c) => {
  const { userId } = await readJsonBody(c, userIdRequestSchema);
  if (!(await userExists(c.var.db, userId))) throw notFound(`A user with the id ${JSON.stringify(userId)}`);
  await requireGroupRoom(c.var.db, userId);

  const result = unwrap(await groupObject(c.env, c.req.param('groupId')).invite(c.var.session.userId, userId));
  return c.json(result, joinStatus(result));
});

/** Members only: owner, admins, then members, each in join order; paged with `limit` and `cursor`. */
groupMemberRoutes.get('/groups/:groupId/members', requireSession, async (c) => {
  const limit = readPageLimit(c, GROUP_MEMBER_PAGE_DEFAULT, GROUP_MEMBER_PAGE_MAX);
  const after = readCursor(c, memberPositionSchema);

  const page = unwrap(await groupObject(c.env, c.req.param('groupId')).members(c.var.session.userId, after, limit));
  const response: GroupMemberListResponse = { members: page.members, nextCursor: page.next ? encodeCursor(page.next) : null };
  return c.json(response);
});

groupMemberRoutes.patch('/groups/:groupId/members/me', requireSession, async (c) => {
  const { nickname } = await readJsonBody(c, nicknameRequestSchema);
  unwrap(await groupObject(c.env, c.req.param('groupId')).setNickname(c.var.session.userId, checkNickname(nickname)));
  return c.body(null, 204);
});

/** Leaves the group. The owner gets `owner_must_transfer`. */
groupMemberRoutes.delete('/groups/:groupId/members/me', requireSession, async (c) => {
  unwrap(await groupObject(c.env, c.req.param('groupId')).leave(c.var.session.userId));
  return c.body(null, 204);
});

groupMemberRoutes.delete('/groups/:groupId/members/:userId', requireSession, async (c) => {
  unwrap(await groupObject(c.env, c.req.param('groupId')).kick(c.var.session.userId, c.req.param('userId')));
  return c.body(null, 204);
});

groupMemberRoutes.put('/groups/:groupId/admins/:userId', requireSession, async (c) => {
  unwrap(await groupObject(c.env, c.req.param('groupId')).setAdmin(c.var.session.userId, c.req.param('userId'), true));
  return c.body(null, 204);
});

groupMemberRoutes.delete('/groups/:groupId/admins/:userId', requireSession, async (c) => {
  unwrap(await groupObject(c.env, c.req.param('groupId')).setAdmin(c.var.session.userId, c.req.param('userId'), false));
  return c.body(null, 204);
});

/** Hands ownership to `userId`, a member; the former owner becomes an admin. */
groupMemberRoutes.post('/groups/:groupId/owner', requireSession, async (c) => {
  const { userId } = await readJsonBody(c, userIdRequestSchema);
  unwrap(await groupObject(c.env, c.req.param('groupId')).transferOwnership(c.var.session.userId, userId));
  return c.body(null, 204);
});
