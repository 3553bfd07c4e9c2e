// Group search: by part of the name through the directory, and by exact
// group id through GET /groups/:id, merged into one result list.

import type { GroupInfo, GroupSummary } from '../../../protocol/groups';
import { getGroup, searchGroups } from '../net/groups-api';
import { ApiError } from '../net/http';

/** Group ids are base64url, as the edge makes them; other text cannot be an id, so it costs no request. */
const GROUP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface GroupSearchResult {
  id: string;
  name: string;
  memberCount: number;
  avatarKey: string | null;
}

export function couldBeGroupId(query: string): boolean {
  return GROUP_ID_PATTERN.test(query);
}

/** Puts the exact id match first and drops its copy among the name matches. */
export function mergeGroupResults(byId: GroupInfo | null, byName: GroupSummary[]): GroupSearchResult[] {
  const named = byName
    .filter((group) => group.id !== byId?.id)
    .map((group) => ({ id: group.id, name: group.name, memberCount: group.memberCount, avatarKey: null }));
  if (byId === null) return named;
  return [{ id: byId.id, name: byId.name, memberCount: byId.memberCount, avatarKey: byId.avatarKey }, ...named];
}

export async function findGroups(query: string): Promise<GroupSearchResult[]> {
  const [byId, byName] = await Promise.all([couldBeGroupId(query) ? findGroupById(query) : null, searchGroups(query)]);
  return mergeGroupResults(byId, byName.groups);
}

/** Returns the group with this exact id, or null when there is none. */
async function findGroupById(groupId: string): Promise<GroupInfo | null> {
  try {
    return await getGroup(groupId);
  } catch (error) {
    if (error instanceof ApiError && error.details.code === 'not_found') return null;
    throw error;
  }
}
