// The caller's own profile and other users' public profiles.

import { Hono } from 'hono';
import { updateProfileRequestSchema } from '../../protocol/api';
import { checkBio, checkDisplayName, usernameKey } from '../accounts/rules';
import { requireSession } from '../auth/authenticate';
import { findUserById, findUserByUsernameKey, toOwnProfile, toPublicProfile, updateUserProfile } from '../db/users';
import { notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readJsonBody } from '../http/json-body';

export const profileRoutes = new Hono<AppEnv>();

profileRoutes.use('/me', requireSession);
profileRoutes.use('/users/*', requireSession);

profileRoutes.get('/me', async (c) => {
  const user = await findUserById(c.var.db, c.var.session.userId);
  if (!user) throw notFound('Your account');
  return c.json(toOwnProfile(user));
});

profileRoutes.patch('/me', async (c) => {
  const body = await readJsonBody(c, updateProfileRequestSchema);
  const changes = {
    displayName: body.displayName === undefined ? undefined : checkDisplayName(body.displayName),
    bio: body.bio === undefined ? undefined : checkBio(body.bio),
  };

  const user = await updateUserProfile(c.var.db, c.var.session.userId, changes);
  if (!user) throw notFound('Your account');
  return c.json(toOwnProfile(user));
});

profileRoutes.get('/users/by-username/:username', async (c) => {
  const username = c.req.param('username');
  const user = await findUserByUsernameKey(c.var.db, usernameKey(username));
  if (!user) throw notFound(`A user named ${JSON.stringify(username)}`);
  return c.json(toPublicProfile(user));
});

profileRoutes.get('/users/:id', async (c) => {
  const id = c.req.param('id');
  const user = await findUserById(c.var.db, id);
  if (!user) throw notFound(`A user with the id ${JSON.stringify(id)}`);
  return c.json(toPublicProfile(user));
});
