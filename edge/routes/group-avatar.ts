// Group avatars in R2, under `group-avatars/<groupId>/<random id>`. The
// upload takes the same raw PNG, JPEG or WebP body and size limit as
// PUT /me/avatar, and sets the key through the GroupDO update, so members get
// an `info_changed` change and only admins may do it.

import { Hono } from 'hono';
import { API_PREFIX } from '../../protocol/api';
import { AVATAR_MAX_BYTES } from '../../protocol/limits';
import { requireSession } from '../auth/authenticate';
import { newId } from '../auth/tokens';
import { unwrap } from '../groups/results';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readLimitedBody } from '../http/limited-body';
import type { Logger } from '../log';
import { groupObject } from '../objects/group-object';
import { detectImageType } from '../profile/image-type';

export const groupAvatarRoutes = new Hono<AppEnv>();

/** Ids in group avatar paths are base64url, as `newId` makes them. */
const PATH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The upload path, which takes a raw image body instead of JSON and so is exempt from the JSON body limit. */
export const GROUP_AVATAR_UPLOAD_PATH = new RegExp(`^${API_PREFIX}/groups/[A-Za-z0-9_-]{1,64}/avatar$`);

/** Each upload gets a new URL, so browsers may keep one for a year; `private` keeps shared caches out. */
const AVATAR_CACHE_CONTROL = 'private, max-age=31536000, immutable';

const KEY_PREFIX = 'group-avatars';

/** Returns the R2 key prefix of one group's avatars. */
export function groupAvatarPrefix(groupId: string): string {
  return `${KEY_PREFIX}/${groupId}/`;
}

/** Returns whether `key` names an avatar uploaded for `groupId` by PUT /groups/:id/avatar. */
export function isGroupAvatarKey(groupId: string, key: string): boolean {
  const prefix = groupAvatarPrefix(groupId);
  return key.startsWith(prefix) && PATH_ID.test(key.slice(prefix.length));
}

/** Replaces the group's avatar with the raw image body (owner and admins) and returns the updated GroupInfo. */
groupAvatarRoutes.put('/groups/:groupId/avatar', requireSession, async (c) => {
  const groupId = c.req.param('groupId');
  const me = c.var.session.userId;
  if (!PATH_ID.test(groupId)) throw notFound('This group');

  // Checked before reading the body, so a member without the right never uploads the bytes.
  const group = groupObject(c.env, groupId);
  const before = unwrap(await group.info(me));
  if (before.myRole === null) throw new ApiError(403, 'not_a_member', 'You are not a member of this group.');
  if (before.myRole === 'member') throw new ApiError(403, 'forbidden', 'Only the owner and admins change the group avatar.');

  const bytes = await readLimitedBody(c.req.raw, AVATAR_MAX_BYTES, 'image_too_large');
  const contentType = detectImageType(bytes);
  if (!contentType) {
    throw new ApiError(415, 'image_type_unsupported', 'The avatar must be a PNG, JPEG or WebP image; its bytes are none of these.');
  }

  const key = groupAvatarPrefix(groupId) + newId();
  await c.env.FILES.put(key, bytes, { httpMetadata: { contentType } });
  const updated = await group.update(me, { avatarKey: key });
  if (!updated.ok) {
    // The role may have changed since the check above; the stored image is then unreferenced.
    await deleteGroupAvatarObject(c.env.FILES, c.var.log, key);
    unwrap(updated);
  }

  if (before.avatarKey !== null && isGroupAvatarKey(groupId, before.avatarKey)) {
    await deleteGroupAvatarObject(c.env.FILES, c.var.log, before.avatarKey);
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
  if (!PATH_ID.test(groupId) || !PATH_ID.test(avatarId)) throw notFound('This avatar');

  const object = await c.env.FILES.get(groupAvatarPrefix(groupId) + avatarId);
  if (!object) throw notFound('This avatar');

  const headers = new Headers({
    'Content-Type': object.httpMetadata?.contentType ?? 'application/octet-stream',
    'Content-Length': String(object.size),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'",
    'Cache-Control': AVATAR_CACHE_CONTROL,
    ETag: object.httpEtag,
  });
  return new Response(object.body, { headers });
});

/** Deletes a replaced or unreferenced avatar. A failure only leaves an unused object, so it is logged and not raised. */
async function deleteGroupAvatarObject(bucket: R2Bucket, log: Logger, key: string): Promise<void> {
  try {
    await bucket.delete(key);
  } catch (error) {
    log.error('deleting a group avatar failed', { avatarKey: key, error });
  }
}
