import { GROUPS_PER_USER_MAX } from '../../protocol/limits';
import type { Database } from '../db/client';
import { countUserGroups } from '../db/groups';
import { ApiError } from '../http/api-error';

/** Rejects a create or join past GROUPS_PER_USER_MAX groups. */
export async function requireGroupRoom(db: Database, userId: string): Promise<void> {
  const groups = await countUserGroups(db, userId);
  if (groups < GROUPS_PER_USER_MAX) return;
  throw new ApiError(403, 'forbidden', `You are in ${groups} groups; the maximum is ${GROUPS_PER_USER_MAX}.`, {
    limit: GROUPS_PER_USER_MAX,
    value: groups + 1,
  });
}
