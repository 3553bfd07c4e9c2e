// Tells a user's Durable Object that D1 changed something the send path
// caches: a relation, a setting, a device or a session. The object drops its
// cached peer facts and those other objects keep about this user
// (edge/objects/peer-cache.ts).

import type { Env } from '../env';
import type { Logger } from '../log';
import { userObject } from '../objects/user-object';

/**
 * Call after the D1 write, for one of the users the change touches; for a
 * change between two users either one is enough. A failure is logged and not
 * raised, because the D1 change is in effect for every route.
 */
export async function notifyRelationsChanged(env: Pick<Env, 'USER'>, log: Logger, userId: string): Promise<void> {
  try {
    await userObject(env, userId).relationsChanged(userId);
  } catch (error) {
    // TODO: until the objects are evicted, sends between these users may
    // still use the facts from before the change. A retry from a Queue would close that gap.
    log.error('invalidating cached relations failed', { userId, error });
  }
}
