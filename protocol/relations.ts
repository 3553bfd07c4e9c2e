// Follows, friends, blocks, mutes, notification settings, profiles and user
// search: the shapes that the edge returns and the PWA checks. Request schemas
// are enforced on the edge; docs/relations.md describes the rules behind them.

import * as z from 'zod/mini';

const id = z.string().check(z.minLength(1), z.maxLength(64));

/** Message privacy levels: anyone, the people the user follows (and friends), or friends only. */
export const MESSAGE_PRIVACY_VALUES = ['everyone', 'following', 'friends'] as const;
export const messagePrivacySchema = z.enum(MESSAGE_PRIVACY_VALUES);
export type MessagePrivacy = z.infer<typeof messagePrivacySchema>;

/** Gender on a profile; optional, and null clears it. */
export const GENDER_VALUES = ['female', 'male', 'other'] as const;
export const genderSchema = z.enum(GENDER_VALUES);
export type Gender = z.infer<typeof genderSchema>;

/** A user as lists, search results and inbox events show them. */
export const userSummarySchema = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  /** Path of the avatar image under this origin; absent when the user has none. */
  avatarUrl: z.optional(z.string()),
});
export type UserSummary = z.infer<typeof userSummarySchema>;

/** Steps of a friendship as the other user sees them in a `friend` inbox event. */
export const FRIEND_ACTIONS = ['requested', 'accepted', 'declined', 'removed'] as const;
export const friendActionSchema = z.enum(FRIEND_ACTIONS);
export type FriendAction = z.infer<typeof friendActionSchema>;

/**
 * One changed setting, as the `settings` inbox event carries it to the user's
 * other devices. Each variant contains the whole new state of its scope, so a
 * device applies it without knowing the old one.
 */
export const settingsChangeSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('account'), messagePrivacy: messagePrivacySchema, notifications: z.boolean() }),
  z.object({
    scope: z.literal('conversation'),
    conversationId: id,
    muted: z.boolean(),
    notifications: z.boolean(),
  }),
  z.object({ scope: z.literal('user'), userId: id, muted: z.boolean() }),
]);
export type SettingsChange = z.infer<typeof settingsChangeSchema>;

// ---------------------------------------------------------------------------
// Request bodies

/** POST /api/v1/friend-requests. The message limit is checked by the handler so that the error names it. */
export const friendRequestBodySchema = z.object({
  userId: id,
  message: z.optional(z.string()),
});
export type FriendRequestBody = z.infer<typeof friendRequestBodySchema>;

/** PATCH /api/v1/me/settings: only the fields present change. */
export const updateSettingsRequestSchema = z.object({
  messagePrivacy: z.optional(messagePrivacySchema),
  notifications: z.optional(z.boolean()),
});
export type UpdateSettingsRequest = z.infer<typeof updateSettingsRequestSchema>;

/** PATCH /api/v1/me/conversations/:conversationId/settings: only the fields present change. */
export const updateConversationSettingsRequestSchema = z.object({
  muted: z.optional(z.boolean()),
  notifications: z.optional(z.boolean()),
});
export type UpdateConversationSettingsRequest = z.infer<typeof updateConversationSettingsRequestSchema>;

// ---------------------------------------------------------------------------
// Response bodies

/** A page of users. `nextCursor` goes into the next request's `cursor`; null on the last page. */
export interface UserListResponse {
  users: UserSummary[];
  nextCursor: string | null;
}

/** One search hit; `match` names the ranking tier it matched in: exact, prefix or name. */
export interface SearchResult extends UserSummary {
  match: 'exact' | 'prefix' | 'name';
}

export interface SearchResponse {
  users: SearchResult[];
  nextCursor: string | null;
}

export interface FriendRequestInfo {
  /** The other user: the sender of an incoming request, the recipient of an outgoing one. */
  user: UserSummary;
  message: string;
  createdAt: number;
  expiresAt: number;
}

/** GET /api/v1/me/friend-requests: one page of pending requests in one direction, newest first. */
export interface FriendRequestListResponse {
  requests: FriendRequestInfo[];
  nextCursor: string | null;
}

/** Response to POST /friend-requests: a pending request, or `friends` when the other user had a pending request first. */
export type FriendRequestResult = { status: 'pending'; request: FriendRequestInfo } | { status: 'friends' };

export interface ProfileCounts {
  followers: number;
  following: number;
  friends: number;
}

/** Relation flags between the viewer and the profile's user. */
export interface ProfileRelation {
  /** The viewer follows this user. */
  following: boolean;
  /** This user follows the viewer. */
  followedBy: boolean;
  friend: boolean;
  /** The viewer's friend request to this user is pending. */
  requestSent: boolean;
  /** This user's friend request to the viewer is pending. */
  requestReceived: boolean;
  /** The viewer blocked this user. */
  blocking: boolean;
  /** The viewer muted this user's messages. */
  muted: boolean;
}

export interface ConversationSettings {
  conversationId: string;
  muted: boolean;
  notifications: boolean;
}

/** GET /api/v1/me/settings. Conversations and users not listed have the defaults: not muted, notifications on. */
export interface UserSettings {
  messagePrivacy: MessagePrivacy;
  notifications: boolean;
  conversations: ConversationSettings[];
  mutedUserIds: string[];
}
