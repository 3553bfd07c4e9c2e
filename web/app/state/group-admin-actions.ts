// Group management steps that combine more than one request: creating a
// group with its avatar, and inviting a user by username.

import type { CreateGroupRequest, GroupInfo, GroupMember, JoinResult } from '../../../protocol/groups';
import type { ErrorDetails } from '../i18n/errors';
import { createGroup, inviteToGroup, uploadGroupAvatar } from '../net/groups-api';
import { ApiError } from '../net/http';
import type { CachedProfile } from '../store/db';
import type { Account } from './account';
import { withUserByUsername, type UsernameFailure } from './user-by-username';

export interface CreatedGroup {
  info: GroupInfo;
  /** The error of a failed avatar upload, or null. The group exists either way. */
  avatarError: ErrorDetails | null;
}

/**
 * Creates the group, then uploads its avatar: the upload route needs the
 * group's id, so the avatar cannot go with the create request.
 */
export async function createGroupWithAvatar(request: CreateGroupRequest, avatar: Blob | null): Promise<CreatedGroup> {
  const info = await createGroup(request);
  if (avatar === null) return { info, avatarError: null };

  try {
    return { info: await uploadGroupAvatar(info.id, avatar), avatarError: null };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    console.warn('[groups] the group was created but its avatar upload failed', { groupId: info.id, code: error.details.code });
    return { info, avatarError: error.details };
  }
}

export type InviteResult = { ok: true; result: JoinResult; userId: string } | { ok: false; error: UsernameFailure };

/** Looks the user up by username, like opening a chat does, and invites them. */
export async function inviteByUsername(account: Account, groupId: string, username: string): Promise<InviteResult> {
  const invited = await withUserByUsername(account, username, async (profile) => ({
    result: await inviteToGroup(groupId, profile.id),
    userId: profile.id,
  }));
  return invited.ok ? { ok: true, ...invited.value } : invited;
}

/** Returns the name a member list shows: the group nickname, else the display name, else the user id until the profile loads. */
export function memberName(member: Pick<GroupMember, 'userId' | 'nickname'>, profile: CachedProfile | undefined): string {
  if (member.nickname.trim() !== '') return member.nickname;
  return profile?.displayName ?? member.userId;
}
