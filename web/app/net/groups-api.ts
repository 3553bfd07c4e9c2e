// The /api/v1 group routes, one function each. docs/groups.md describes who
// may call which and what each returns.

import { API_PREFIX } from '../../../protocol/api';
import type {
  CreateGroupRequest,
  GroupApplicationListResponse,
  GroupInfo,
  GroupListResponse,
  GroupMember,
  GroupMemberListResponse,
  JoinResult,
  UpdateGroupRequest,
} from '../../../protocol/groups';
import { requestApi } from './http';
import {
  groupApplicationListSchema,
  groupInfoSchema,
  groupListSchema,
  groupMemberListSchema,
  joinResultSchema,
} from './groups-schemas';

const id = encodeURIComponent;

function group(groupId: string): string {
  return `/groups/${id(groupId)}`;
}

export function createGroup(request: CreateGroupRequest): Promise<GroupInfo> {
  return requestApi('POST', '/groups', groupInfoSchema, request);
}

export function getGroup(groupId: string): Promise<GroupInfo> {
  return requestApi('GET', group(groupId), groupInfoSchema);
}

export function updateGroup(groupId: string, fields: UpdateGroupRequest): Promise<GroupInfo> {
  return requestApi('PATCH', group(groupId), groupInfoSchema, fields);
}

export function dissolveGroup(groupId: string): Promise<undefined> {
  return requestApi('DELETE', group(groupId), null);
}

export function listMyGroups(): Promise<GroupListResponse> {
  return requestApi('GET', '/me/groups', groupListSchema);
}

export function searchGroups(q: string, limit?: number): Promise<GroupListResponse> {
  const params = new URLSearchParams({ q });
  if (limit !== undefined) params.set('limit', String(limit));
  return requestApi('GET', `/groups/search?${params.toString()}`, groupListSchema);
}

export function applyToGroup(groupId: string, message: string): Promise<JoinResult> {
  return requestApi('POST', `${group(groupId)}/applications`, joinResultSchema, { message });
}

export function listApplications(groupId: string): Promise<GroupApplicationListResponse> {
  return requestApi('GET', `${group(groupId)}/applications`, groupApplicationListSchema);
}

export function decideApplication(groupId: string, applicationId: string, approve: boolean): Promise<undefined> {
  const decision = approve ? 'approve' : 'reject';
  return requestApi('POST', `${group(groupId)}/applications/${id(applicationId)}/${decision}`, null);
}

export function inviteToGroup(groupId: string, userId: string): Promise<JoinResult> {
  return requestApi('POST', `${group(groupId)}/invitations`, joinResultSchema, { userId });
}

export function listMembers(groupId: string, cursor: string | null, limit?: number): Promise<GroupMemberListResponse> {
  const params = new URLSearchParams();
  if (cursor) params.set('cursor', cursor);
  if (limit !== undefined) params.set('limit', String(limit));
  const query = params.toString();
  return requestApi('GET', `${group(groupId)}/members${query === '' ? '' : `?${query}`}`, groupMemberListSchema);
}

/** Reads every page of the member list; for end-to-end groups, which are small enough to hold at once. */
export async function listAllMembers(groupId: string): Promise<GroupMember[]> {
  const members: GroupMember[] = [];
  let cursor: string | null = null;
  do {
    const page: GroupMemberListResponse = await listMembers(groupId, cursor);
    members.push(...page.members);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return members;
}

export function setGroupNickname(groupId: string, nickname: string): Promise<undefined> {
  return requestApi('PATCH', `${group(groupId)}/members/me`, null, { nickname });
}

export function leaveGroup(groupId: string): Promise<undefined> {
  return requestApi('DELETE', `${group(groupId)}/members/me`, null);
}

export function kickMember(groupId: string, userId: string): Promise<undefined> {
  return requestApi('DELETE', `${group(groupId)}/members/${id(userId)}`, null);
}

export function setAdmin(groupId: string, userId: string, admin: boolean): Promise<undefined> {
  return requestApi(admin ? 'PUT' : 'DELETE', `${group(groupId)}/admins/${id(userId)}`, null);
}

export function transferOwnership(groupId: string, userId: string): Promise<undefined> {
  return requestApi('POST', `${group(groupId)}/owner`, null, { userId });
}

/** Replaces the group's avatar with a cropped image (owner and admins) and returns the updated info. */
export function uploadGroupAvatar(groupId: string, image: Blob): Promise<GroupInfo> {
  return requestApi('PUT', `${group(groupId)}/avatar`, groupInfoSchema, image);
}

/** Returns the path that serves an avatar key under this origin; user and group avatar keys both map to a GET route of their own. */
export function avatarKeyUrl(avatarKey: string | null): string | undefined {
  return avatarKey === null ? undefined : `${API_PREFIX}/${avatarKey}`;
}
