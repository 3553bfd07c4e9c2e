// Group avatars in R2, under `group-avatars/<groupId>/<random id>`. The
// upload takes the same raw PNG, JPEG or WebP body and size limit as
// PUT /me/avatar, and sets the key through the GroupDO update, so members get
// an `info_changed` change and only admins may do it.

import { Hono } from 'hono';
import { API_PREFIX } from '../../protocol/api';
import { requireSession } from '../auth/authenticate';
import { newId } from '../auth/tokens';
import { unwrap } from '../groups/results';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { groupObject } from '../objects/group-object';
import { AVATAR_PATH_ID, avatarResponse, deleteAvatarObject, readAvatarUpload } from '../profile/avatar-files';

export const groupAvatarRoutes = new Hono<AppEnv>();

/** The upload path, which takes a raw image body instead of JSON and so is exempt from the JSON body limit. */
export const GROUP_AVATAR_UPLOAD_PATH = new RegExp(`^${API_PREFIX}/groups/[A-Za-z0-9_-]{1,64}/avatar$`);

const KEY_PREFIX = 'group-avatars';

/** Returns the R2 key prefix of one group's avatars. */
export function groupAvatarPrefix(groupId: string): string {
  return `${KEY_PREFIX}/${groupId}/`;
}

/** Returns whether `key` names an avatar uploaded for `groupId` by PUT /groups/:id/avatar. */
export function isGroupAvatarKey(groupId: string, key: string): boolean {
  const prefix = groupAvatarPrefix(groupId);
  return key.startsWith(prefix) && AVATAR_PATH_ID.test(key.slice(prefix.length));
}

/** Replaces the group's avatar with the raw image body (owner and admins) and returns the updated GroupInfo. */
groupAvatarRoutes.put('/groups/:groupId/avatar', requireSession, async (c) => {
  const groupId = c.req.param('groupId');
  const me = c.var.session.userId;
  if (!AVATAR_PATH_ID.test(groupId)) throw notFound('This group');

  // Checked before reading the body, so a member without the right never uploads the bytes.
  const group = groupObject(c.env, groupId);
  const before = unwrap(await group.info(me));
  if (before.myRole === null) throw new ApiError(403, 'not_a_member', 'You are not a member of this group.');
  if (before.myRole === 'member') throw new ApiError(403, 'forbidden', 'Only the owner and admins change the group avatar.');

  const { bytes, contentType } = await readAvatarUpload(c.req.raw);

  const key = groupAvatarPrefix(groupId) + newId();
  await c.env.FILES.put(key, bytes, { httpMetadata: { contentType } });
  const updated = await group.update(me, { avatarKey: key });
  if (!updated.ok) {
    // The role may have changed since the check above; the stored image is then unreferenced.
    await deleteAvatarObject(c.env.FILES, c.var.log, key);
    unwrap(updated);
  }

  if (before.avatarKey !== null && isGroupAvatarKey(groupId, before.avatarKey)) {
    await deleteAvatarObject(c.env.FILES, c.var.log, before.avatarKey);
  }
  c.var.log.info('replaced a group avatar', { groupId, avatarKey: key, contentType, bytes: bytes.byteLength });
  return c.json(unwrap(updated));
});

/**
 * Serves a group avatar without a session, because an <img> element cannot
 * send the Authorization header. The random avatar id makes the URL
 * unguessable, and GET /groups/:id returns the key to anyone with the group id.
 */
groupAvatarRoutes.get(`/${KEY_PREFIX}/:groupId/:avatarId`, async (c) => {
  const groupId = c.req.param('groupId');
  const avatarId = c.req.param('avatarId');
  if (!AVATAR_PATH_ID.test(groupId) || !AVATAR_PATH_ID.test(avatarId)) throw notFound('This avatar');
  return avatarResponse(c.env.FILES, groupAvatarPrefix(groupId) + avatarId);
});
