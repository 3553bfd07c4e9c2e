// Schemas for the relation, settings and search bodies the edge returns,
// each typed against its interface in protocol/ so the two cannot drift apart.

import * as z from 'zod/mini';
import type { UserProfileView } from '../../../protocol/api';
import {
  messagePrivacySchema,
  userSummarySchema,
  type ConversationSettings,
  type FriendRequestInfo,
  type FriendRequestListResponse,
  type FriendRequestResult,
  type ProfileRelation,
  type SearchResponse,
  type UserListResponse,
  type UserSettings,
} from '../../../protocol/relations';
import { publicProfileShape } from './api-schemas';

const nextCursor = z.nullable(z.string());

export const userListResponseSchema: z.ZodMiniType<UserListResponse> = z.object({
  users: z.array(userSummarySchema),
  nextCursor,
});

export const searchResponseSchema: z.ZodMiniType<SearchResponse> = z.object({
  users: z.array(z.extend(userSummarySchema, { match: z.enum(['exact', 'prefix', 'name']) })),
  nextCursor,
});

const friendRequestInfoSchema: z.ZodMiniType<FriendRequestInfo> = z.object({
  user: userSummarySchema,
  message: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
});

export const friendRequestListResponseSchema: z.ZodMiniType<FriendRequestListResponse> = z.object({
  requests: z.array(friendRequestInfoSchema),
  nextCursor,
});

export const friendRequestResultSchema: z.ZodMiniType<FriendRequestResult> = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending'), request: friendRequestInfoSchema }),
  z.object({ status: z.literal('friends') }),
]);

const relationSchema: z.ZodMiniType<ProfileRelation> = z.object({
  following: z.boolean(),
  followedBy: z.boolean(),
  friend: z.boolean(),
  requestSent: z.boolean(),
  requestReceived: z.boolean(),
  blocking: z.boolean(),
  muted: z.boolean(),
});

export const userProfileViewSchema: z.ZodMiniType<UserProfileView> = z.object({
  ...publicProfileShape,
  counts: z.optional(z.object({ followers: z.number(), following: z.number(), friends: z.number() })),
  relation: relationSchema,
});

export const conversationSettingsSchema: z.ZodMiniType<ConversationSettings> = z.object({
  conversationId: z.string(),
  muted: z.boolean(),
  notifications: z.boolean(),
});

export const userSettingsSchema: z.ZodMiniType<UserSettings> = z.object({
  messagePrivacy: messagePrivacySchema,
  notifications: z.boolean(),
  conversations: z.array(conversationSettingsSchema),
  mutedUserIds: z.array(z.string()),
});
