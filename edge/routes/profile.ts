// The caller's own profile and other users' public profiles.

import { Hono } from 'hono';
import { updateProfileRequestSchema, type UserProfileView } from '../../protocol/api';
import { checkBio, checkDisplayName, usernameKey } from '../accounts/rules';
import { requireSession } from '../auth/authenticate';
import type { Database } from '../db/client';
import { NO_RELATION, readProfileFacts } from '../db/relations';
import {
  findUserById,
  findUserByUsernameKey,
  toOwnProfile,
  toPublicProfile,
  updateUserProfile,
  type UserRow,
} from '../db/users';
import { notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readJsonBody } from '../http/json-body';
import { checkRegion } from '../profile/rules';

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
    gender: body.gender,
    region: body.region === undefined ? undefined : checkRegion(body.region),
  };

  const user = await updateUserProfile(c.var.db, c.var.session.userId, changes);
  if (!user) throw notFound('Your account');
  return c.json(toOwnProfile(user));
});

profileRoutes.get('/users/by-username/:username', async (c) => {
  const username = c.req.param('username');
  const user = await findUserByUsernameKey(c.var.db, usernameKey(username));
  if (!user) throw notFound(`A user named ${JSON.stringify(username)}`);
  return c.json(await profileView(c.var.db, c.var.session.userId, user));
});

profileRoutes.get('/users/:id', async (c) => {
  const id = c.req.param('id');
  const user = await findUserById(c.var.db, id);
  if (!user) throw notFound(`A user with the id ${JSON.stringify(id)}`);
  return c.json(await profileView(c.var.db, c.var.session.userId, user));
});

/**
 * The profile as `viewerId` may see it: with counts and relation flags, or,
 * when its user blocked the viewer, only id, username, display name and an
 * empty bio.
 */
async function profileView(db: Database, viewerId: string, user: UserRow): Promise<UserProfileView> {
  const facts = await readProfileFacts(db, viewerId, user.id, Date.now());
  if (facts.blockedByTarget) {
    return { id: user.id, username: user.username, displayName: user.displayName, bio: '', relation: NO_RELATION };
  }
  return { ...toPublicProfile(user), counts: facts.counts, relation: facts.relation };
}
