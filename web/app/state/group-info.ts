// GroupInfo and nicknames of the groups in the conversation list and chats:
// the local copy first, fetched again from the server when stale, so group
// names and the member count show offline.

import { GROUP_E2E_MEMBERS_MAX, GROUP_MEMBER_PAGE_MAX } from '../../../protocol/limits';
import type { GroupInfo } from '../../../protocol/groups';
import { ApiError } from '../net/http';
import { getGroup, listAllMembers, listMembers } from '../net/groups-api';
import { getStoredGroup, saveGroupInfo, saveGroupNicknames, setGroupState } from '../store/groups';
import { notifyChanged, type Account } from './account';

/** A cached GroupInfo older than this is fetched again when shown, so renames and member counts update. */
export const GROUP_INFO_REFRESH_MS = 10 * 60 * 1000;

const inFlight = new Set<string>();

/**
 * Returns the group's GroupInfo, from the local copy while it is fresh, else
 * from the server. Returns the stale copy, or null, when the server cannot
 * be reached; a group the server no longer has is marked dissolved.
 */
export async function loadGroupInfo(account: Account, groupId: string, now = Date.now()): Promise<GroupInfo | null> {
  const stored = await getStoredGroup(account.db, groupId);
  if (stored?.info && now - stored.infoFetchedAt < GROUP_INFO_REFRESH_MS) return stored.info;

  try {
    const info = await getGroup(groupId);
    await saveGroupInfo(account.db, info, now);
    notifyChanged();
    return info;
  } catch (error) {
    if (error instanceof ApiError && error.details.code === 'not_found') {
      await setGroupState(account.db, groupId, 'dissolved');
      notifyChanged();
      return stored?.info ?? null;
    }
    console.warn('[groups] fetching group info failed; using the local copy', { groupId, error });
    return stored?.info ?? null;
  }
}

/** Fetches GroupInfo of the groups whose copy is missing or stale, in the background. */
export function ensureGroupInfos(account: Account, groupIds: Iterable<string>): void {
  for (const groupId of groupIds) {
    if (inFlight.has(groupId)) continue;

    inFlight.add(groupId);
    loadGroupInfo(account, groupId)
      .catch((error: unknown) => console.warn('[groups] refreshing group info failed', { groupId, error }))
      .finally(() => inFlight.delete(groupId));
  }
}

/**
 * Fetches the member list for the nicknames shown beside messages. End-to-end
 * groups are read whole; larger ones only up to GROUP_MEMBER_PAGE_MAX members.
 */
export async function refreshNicknames(account: Account, info: GroupInfo): Promise<void> {
  if (info.myRole === null) return;

  // TODO: members past the first page of a large group show their display name, never their nickname.
  const members =
    info.memberLimit <= GROUP_E2E_MEMBERS_MAX
      ? await listAllMembers(info.id)
      : (await listMembers(info.id, null, GROUP_MEMBER_PAGE_MAX)).members;
  const nicknames: Record<string, string> = {};
  for (const member of members) {
    if (member.nickname !== '') nicknames[member.userId] = member.nickname;
  }
  await saveGroupNicknames(account.db, info.id, nicknames);
  notifyChanged();
}
