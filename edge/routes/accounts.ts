// POST /accounts: registration, which also signs the new user in.

import { Hono } from 'hono';
import { registerRequestSchema, type AuthResponse } from '../../protocol/api';
import { checkDisplayName, checkPassword, checkUsername, usernameKey } from '../accounts/rules';
import { openSession } from '../auth/open-session';
import { hashPassword } from '../auth/password';
import { newId } from '../auth/tokens';
import { toSessionInfo } from '../db/sessions';
import { findUserByUsernameKey, toOwnProfile, type UserRow } from '../db/users';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readJsonBody } from '../http/json-body';

export const accountRoutes = new Hono<AppEnv>();

accountRoutes.post('/accounts', async (c) => {
  const body = await readJsonBody(c, registerRequestSchema);
  const username = checkUsername(body.username);
  const password = checkPassword(body.password);
  const displayName = checkDisplayName(body.displayName);

  const key = usernameKey(username);
  if (await findUserByUsernameKey(c.var.db, key)) throw usernameTaken(username);

  const hash = await hashPassword(password);
  const user: UserRow = {
    id: newId(),
    username,
    usernameKey: key,
    displayName,
    bio: '',
    passwordHash: hash.hash,
    passwordSalt: hash.salt,
    passwordIterations: hash.iterations,
    createdAt: Date.now(),
    gender: null,
    region: '',
    avatarKey: null,
    messagePrivacy: 'everyone',
    notifications: true,
  };

  let opened;
  try {
    opened = await openSession(c.env, c.var.db, c.var.log, {
      userId: user.id,
      userAgent: c.req.header('User-Agent') ?? '',
      newUser: user,
    });
  } catch (error) {
    // Two registrations of one name can both pass the look-up above; the unique index decides.
    if (isUsernameKeyConflict(error)) throw usernameTaken(username);
    throw error;
  }

  c.var.log.info('registered a user', { userId: user.id, sessionId: opened.session.id });
  const response: AuthResponse = {
    token: opened.token,
    session: toSessionInfo(opened.session, opened.session.id),
    user: toOwnProfile(user),
  };
  return c.json(response, 201);
});

function usernameTaken(username: string): ApiError {
  return new ApiError(409, 'username_taken', `Username ${JSON.stringify(username)} is taken (ignoring case).`, {
    field: 'username',
  });
}

function isUsernameKeyConflict(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : '';
  return text.includes('UNIQUE constraint failed: users.username_key');
}
