// Addressing of a user's Durable Object from the Worker.

import type { Env } from '../env';

/**
 * Headers the Worker sets on the upgrade it forwards to UserDO after checking
 * the token against D1. Only this Worker has the binding, so the object trusts them.
 */
export const USER_ID_HEADER = 'X-Feige-User-Id';
export const SESSION_ID_HEADER = 'X-Feige-Session-Id';

/** Returns the stub of the one UserDO instance of `userId`, wherever it runs. */
export function userObject(env: Pick<Env, 'USER'>, userId: string) {
  return env.USER.get(env.USER.idFromName(userId));
}
