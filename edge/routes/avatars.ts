// Avatars in R2. The PWA crops and scales the picture; the server checks the
// type by content and the size, and never trusts a declared Content-Type.

import { Hono } from 'hono';
import { API_PREFIX } from '../../protocol/api';
import { requireSession } from '../auth/authenticate';
import { newId } from '../auth/tokens';
import { findUserById, toOwnProfile, updateAvatarKey } from '../db/users';
import { notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { AVATAR_PATH_ID, avatarResponse, deleteAvatarObject, readAvatarUpload } from '../profile/avatar-files';

export const avatarRoutes = new Hono<AppEnv>();

/** The upload path, which takes a raw image body instead of JSON and so has its own size limit. */
export const AVATAR_UPLOAD_PATH = `${API_PREFIX}/me/avatar`;

/** Replaces the caller's avatar with the raw PNG, JPEG or WebP body and returns the updated OwnProfile. */
avatarRoutes.put('/me/avatar', requireSession, async (c) => {
  const { bytes, contentType } = await readAvatarUpload(c.req.raw);

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
  if (!AVATAR_PATH_ID.test(userId) || !AVATAR_PATH_ID.test(avatarId)) throw notFound('This avatar');
  return avatarResponse(c.env.FILES, `avatars/${userId}/${avatarId}`);
});
