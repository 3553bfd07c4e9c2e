// Avatars in R2. The PWA crops and scales the picture; the server checks the
// type by content and the size, and never trusts a declared Content-Type.

import { Hono } from 'hono';
import { API_PREFIX } from '../../protocol/api';
import { AVATAR_MAX_BYTES } from '../../protocol/limits';
import { requireSession } from '../auth/authenticate';
import { newId } from '../auth/tokens';
import { findUserById, toOwnProfile, updateAvatarKey } from '../db/users';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readLimitedBody } from '../http/limited-body';
import type { Logger } from '../log';
import { detectImageType } from '../profile/image-type';

export const avatarRoutes = new Hono<AppEnv>();

/** The upload path, which takes a raw image body instead of JSON and so has its own size limit. */
export const AVATAR_UPLOAD_PATH = `${API_PREFIX}/me/avatar`;

/** Ids in avatar paths are base64url, as `newId` makes them. */
const PATH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Avatars change rarely and each upload gets a new URL, so browsers may keep
 * one for a year. `private` keeps shared caches from storing it.
 */
const AVATAR_CACHE_CONTROL = 'private, max-age=31536000, immutable';

/** Replaces the caller's avatar with the raw PNG, JPEG or WebP body and returns the updated OwnProfile. */
avatarRoutes.put('/me/avatar', requireSession, async (c) => {
  const bytes = await readLimitedBody(c.req.raw, AVATAR_MAX_BYTES, 'image_too_large');
  const contentType = detectImageType(bytes);
  if (!contentType) {
    throw new ApiError(415, 'image_type_unsupported', 'The avatar must be a PNG, JPEG or WebP image; its bytes are none of these.');
  }

  const me = c.var.session.userId;
  const previous = await findUserById(c.var.db, me);
  if (!previous) throw notFound('Your account');

  const key = `avatars/${me}/${newId()}`;
  await c.env.FILES.put(key, bytes, { httpMetadata: { contentType } });
  const user = await updateAvatarKey(c.var.db, me, key);
  if (!user) throw notFound('Your account');

  await deleteAvatarObject(c.env.FILES, c.var.log, previous.avatarKey);
  c.var.log.info('replaced the avatar', { avatarKey: key, contentType, bytes: bytes.byteLength });
  return c.json(toOwnProfile(user));
});

avatarRoutes.delete('/me/avatar', requireSession, async (c) => {
  const me = c.var.session.userId;
  const previous = await findUserById(c.var.db, me);
  if (!previous) throw notFound('Your account');

  const user = await updateAvatarKey(c.var.db, me, null);
  if (!user) throw notFound('Your account');
  await deleteAvatarObject(c.env.FILES, c.var.log, previous.avatarKey);
  return c.json(toOwnProfile(user));
});

/**
 * Serves an avatar without a session, because an <img> element cannot send
 * the Authorization header. The random avatar id makes the URL unguessable,
 * and profiles hide it from users the owner blocked.
 */
avatarRoutes.get('/avatars/:userId/:avatarId', async (c) => {
  const userId = c.req.param('userId');
  const avatarId = c.req.param('avatarId');
  if (!PATH_ID.test(userId) || !PATH_ID.test(avatarId)) throw notFound('This avatar');

  const object = await c.env.FILES.get(`avatars/${userId}/${avatarId}`);
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

/** Deletes a replaced avatar. A failure only leaves an unreferenced object, so it is logged and not raised. */
async function deleteAvatarObject(bucket: R2Bucket, log: Logger, key: string | null): Promise<void> {
  if (key === null) return;
  try {
    await bucket.delete(key);
  } catch (error) {
    log.error('deleting a replaced avatar failed', { avatarKey: key, error });
  }
}
