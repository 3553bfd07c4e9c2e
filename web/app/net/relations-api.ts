// The /api/v1 routes for follows, friends, blocks, mutes, settings, search
// and avatars, one function each. docs/relations.md describes them.

import type { OwnProfile, UserProfileView } from '../../../protocol/api';
import type {
  ConversationSettings,
  FriendRequestListResponse,
  FriendRequestResult,
  SearchResponse,
  UpdateConversationSettingsRequest,
  UpdateSettingsRequest,
  UserListResponse,
  UserSettings,
} from '../../../protocol/relations';
import { ownProfileSchema } from './api-schemas';
import { requestApi } from './http';
import {
  conversationSettingsSchema,
  friendRequestListResponseSchema,
  friendRequestResultSchema,
  searchResponseSchema,
  userListResponseSchema,
  userProfileViewSchema,
  userSettingsSchema,
} from './relations-schemas';

export type UserListName = 'following' | 'followers' | 'friends' | 'blocks';

const id = encodeURIComponent;

function pageQuery(cursor: string | null, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

export function getProfileView(userId: string): Promise<UserProfileView> {
  return requestApi('GET', `/users/${id(userId)}`, userProfileViewSchema);
}

export function listUsers(name: UserListName, cursor: string | null): Promise<UserListResponse> {
  return requestApi('GET', `/me/${name}${pageQuery(cursor)}`, userListResponseSchema);
}

export function listFriendRequests(direction: 'incoming' | 'outgoing', cursor: string | null): Promise<FriendRequestListResponse> {
  return requestApi('GET', `/me/friend-requests${pageQuery(cursor, { direction })}`, friendRequestListResponseSchema);
}

export function searchUsers(q: string, cursor: string | null): Promise<SearchResponse> {
  return requestApi('GET', `/search/users${pageQuery(cursor, { q })}`, searchResponseSchema);
}

export function follow(userId: string): Promise<undefined> {
  return requestApi('PUT', `/following/${id(userId)}`, null);
}

export function unfollow(userId: string): Promise<undefined> {
  return requestApi('DELETE', `/following/${id(userId)}`, null);
}

export function sendFriendRequest(userId: string, message: string): Promise<FriendRequestResult> {
  return requestApi('POST', '/friend-requests', friendRequestResultSchema, { userId, message });
}

export function acceptFriendRequest(userId: string): Promise<undefined> {
  return requestApi('POST', `/friend-requests/${id(userId)}/accept`, null);
}

export function declineFriendRequest(userId: string): Promise<undefined> {
  return requestApi('POST', `/friend-requests/${id(userId)}/decline`, null);
}

export function removeFriend(userId: string): Promise<undefined> {
  return requestApi('DELETE', `/friends/${id(userId)}`, null);
}

export function block(userId: string): Promise<undefined> {
  return requestApi('PUT', `/blocks/${id(userId)}`, null);
}

export function unblock(userId: string): Promise<undefined> {
  return requestApi('DELETE', `/blocks/${id(userId)}`, null);
}

export function setUserMuted(userId: string, muted: boolean): Promise<undefined> {
  return requestApi(muted ? 'PUT' : 'DELETE', `/me/muted-users/${id(userId)}`, null);
}

export function getSettings(): Promise<UserSettings> {
  return requestApi('GET', '/me/settings', userSettingsSchema);
}

export function updateSettings(request: UpdateSettingsRequest): Promise<UserSettings> {
  return requestApi('PATCH', '/me/settings', userSettingsSchema, request);
}

export function updateConversationSettings(
  conversationId: string,
  request: UpdateConversationSettingsRequest,
): Promise<ConversationSettings> {
  return requestApi('PATCH', `/me/conversations/${id(conversationId)}/settings`, conversationSettingsSchema, request);
}

/** Uploads an avatar image already cropped and scaled by the browser. */
export function uploadAvatar(image: Blob): Promise<OwnProfile> {
  return requestApi('PUT', '/me/avatar', ownProfileSchema, image);
}

export function deleteAvatar(): Promise<OwnProfile> {
  return requestApi('DELETE', '/me/avatar', ownProfileSchema);
}
