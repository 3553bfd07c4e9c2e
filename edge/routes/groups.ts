// Groups: create, read and change info, dissolve, list the caller's groups
// and search. Membership routes are in group-members.ts. Each route checks
// its input against the limits, then calls the group's GroupDO, which
// decides permissions and keeps the D1 directory in step.

import { Hono } from 'hono';
import {
  createGroupRequestSchema,
  updateGroupRequestSchema,
  type GroupInfoFields,
  type GroupListResponse,
} from '../../protocol/groups';
import {
  GROUPS_PER_USER_MAX,
  GROUP_INTRODUCTION_MAX_CHARS,
  SEARCH_PAGE_DEFAULT,
  SEARCH_PAGE_MAX,
  SEARCH_QUERY_MAX_CHARS,
} from '../../protocol/limits';
import { requireSession } from '../auth/authenticate';
import { newId } from '../auth/tokens';
import { listUserGroups, searchGroups } from '../db/groups';
import { deliveryFor, fanoutThreshold } from '../groups/delivery';
import { checkChars, checkGroupName, checkInfoFields, checkMemberLimit } from '../groups/fields';
import { unwrap } from '../groups/results';
import { requireGroupRoom } from '../groups/room';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readJsonBody } from '../http/json-body';
import { readPageLimit } from '../http/paging';
import { groupObject } from '../objects/group-object';
import { groupAvatarRoutes, isGroupAvatarKey } from './group-avatar';
import { groupMemberRoutes } from './group-members';
import { groupSocketRoutes } from './group-socket';

export const groupRoutes = new Hono<AppEnv>();

/** R2 keys of user avatars, as PUT /me/avatar makes them. */
const USER_AVATAR_KEY_PATTERN = /^avatars\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,64}$/;

groupRoutes.post('/groups', requireSession, async (c) => {
  const body = await readJsonBody(c, createGroupRequestSchema);
  const me = c.var.session.userId;
  const name = checkGroupName(body.name);
  const introduction = checkChars('introduction', body.introduction ?? '', GROUP_INTRODUCTION_MAX_CHARS);
  const memberLimit = checkMemberLimit(body.memberLimit);
  // The group has no id yet, so only a user avatar can be named here; the PWA uploads a group avatar after creating.
  const avatarKey = checkAvatarKey(null, body.avatarKey ?? null);
  await requireGroupRoom(c.var.db, me);

  const groupId = newId();
  const info = unwrap(
    await groupObject(c.env, groupId).create({
      groupId,
      ownerId: me,
      name,
      avatarKey,
      introduction,
      joinPolicy: body.joinPolicy ?? 'approval',
      memberLimit,
      membersCanInvite: body.membersCanInvite ?? true,
      historyVisible: body.historyVisible ?? false,
      delivery: deliveryFor(memberLimit, fanoutThreshold(c.env)),
    }),
  );
  c.var.log.info('created a group', { groupId, memberLimit, delivery: info.delivery });
  return c.json(info, 201);
});

/** The caller's groups, most recently joined first. */
groupRoutes.get('/me/groups', requireSession, async (c) => {
  const response: GroupListResponse = { groups: await listUserGroups(c.var.db, c.var.session.userId, GROUPS_PER_USER_MAX) };
  return c.json(response);
});

/** Groups whose name contains `q`, largest first. */
groupRoutes.get('/groups/search', requireSession, async (c) => {
  const query = (c.req.query('q') ?? '').trim();
  if (query.length === 0) throw new ApiError(400, 'invalid_request', 'q is empty; give part of a group name.', { field: 'q' });
  checkChars('q', query, SEARCH_QUERY_MAX_CHARS);
  const limit = readPageLimit(c, SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX);

  const response: GroupListResponse = { groups: await searchGroups(c.var.db, query, limit) };
  return c.json(response);
});

groupRoutes.get('/groups/:groupId', requireSession, async (c) => {
  return c.json(unwrap(await groupObject(c.env, c.req.param('groupId')).info(c.var.session.userId)));
});

groupRoutes.patch('/groups/:groupId', requireSession, async (c) => {
  const groupId = c.req.param('groupId');
  const fields: GroupInfoFields = checkInfoFields(await readJsonBody(c, updateGroupRequestSchema));
  if (fields.avatarKey !== undefined) checkAvatarKey(groupId, fields.avatarKey);

  const info = unwrap(await groupObject(c.env, groupId).update(c.var.session.userId, fields));
  return c.json(info);
});

/** Dissolves the group (owner only); every member gets a `dissolved` change. */
groupRoutes.delete('/groups/:groupId', requireSession, async (c) => {
  const groupId = c.req.param('groupId');
  unwrap(await groupObject(c.env, groupId).dissolve(c.var.session.userId));
  c.var.log.info('dissolved a group', { groupId });
  return c.body(null, 204);
});

groupRoutes.route('/', groupMemberRoutes);
groupRoutes.route('/', groupSocketRoutes);
groupRoutes.route('/', groupAvatarRoutes);

/** Accepts null, a user avatar key, or an avatar uploaded for `groupId` with PUT /groups/:id/avatar. */
function checkAvatarKey(groupId: string | null, key: string | null): string | null {
  if (key === null || USER_AVATAR_KEY_PATTERN.test(key)) return key;
  if (groupId !== null && isGroupAvatarKey(groupId, key)) return key;
  throw new ApiError(400, 'invalid_request', `avatarKey ${JSON.stringify(key)} is not an uploaded avatar key.`, { field: 'avatarKey' });
}
