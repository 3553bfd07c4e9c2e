// Addressing of a group's Durable Object.

import type { Env } from '../env';

/** Returns the stub of the one GroupDO instance of `groupId`, wherever it runs. */
export function groupObject(env: Pick<Env, 'GROUP'>, groupId: string) {
  return env.GROUP.get(env.GROUP.idFromName(groupId));
}
