// Reads of how two users stand with each other, each in one D1 query: for the
// send path, for friend requests and follows, and for a profile view.

import { sql } from 'drizzle-orm';
import * as z from 'zod/mini';
import { messagePrivacySchema } from '../../protocol/relations';
import type { ProfileCounts, ProfileRelation } from '../../protocol/relations';
import type { FriendRequestState, MessageRelation } from '../relations/rules';
import { validate } from '../validation';
import type { Database } from './client';

/** SQLite returns EXISTS(...) as 0 or 1. */
const flag = z.union([z.literal(0), z.literal(1)]);

const messageRelationRowSchema = z.object({
  privacy: messagePrivacySchema,
  blocked: flag,
  follows: flag,
  friends: flag,
  muted: flag,
});

/**
 * Reads what decides a message from `senderId` to `recipientId` in
 * `conversationId`: the recipient's privacy, blocks both ways, whether the
 * recipient follows or befriended the sender, and the recipient's mutes of
 * the sender or the conversation. Undefined when the recipient does not exist.
 */
export async function readMessageRelation(
  db: Database,
  senderId: string,
  recipientId: string,
  conversationId: string,
): Promise<MessageRelation | undefined> {
  const row = await db.get(sql`
    SELECT
      u.message_privacy AS privacy,
      (EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${recipientId} AND blocked_id = ${senderId})
        OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${senderId} AND blocked_id = ${recipientId})) AS blocked,
      EXISTS (SELECT 1 FROM follows WHERE follower_id = ${recipientId} AND followee_id = ${senderId}) AS follows,
      EXISTS (SELECT 1 FROM friendships WHERE user_id = ${recipientId} AND friend_id = ${senderId}) AS friends,
      (EXISTS (SELECT 1 FROM user_mutes WHERE user_id = ${recipientId} AND muted_user_id = ${senderId})
        OR EXISTS (SELECT 1 FROM conversation_settings
          WHERE user_id = ${recipientId} AND conversation_id = ${conversationId} AND muted = 1)) AS muted
    FROM users AS u
    WHERE u.id = ${recipientId}`);
  if (row === undefined) return undefined;

  const parsed = checkRow(messageRelationRowSchema, row, 'message relation');
  return {
    recipientPrivacy: parsed.privacy,
    blocked: parsed.blocked === 1,
    recipientFollowsSender: parsed.follows === 1,
    friends: parsed.friends === 1,
    muted: parsed.muted === 1,
  };
}

const pairRowSchema = z.object({ blocked: flag, friends: flag, reverse_pending: flag });

/** Reads blocks both ways, friendship, and a pending request from `otherId` to `userId`. */
export async function readPairState(db: Database, userId: string, otherId: string, now: number): Promise<FriendRequestState> {
  const row = await db.get(sql`
    SELECT
      (EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${userId} AND blocked_id = ${otherId})
        OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${otherId} AND blocked_id = ${userId})) AS blocked,
      EXISTS (SELECT 1 FROM friendships WHERE user_id = ${userId} AND friend_id = ${otherId}) AS friends,
      EXISTS (SELECT 1 FROM friend_requests
        WHERE from_id = ${otherId} AND to_id = ${userId} AND expires_at > ${now}) AS reverse_pending`);

  const parsed = checkRow(pairRowSchema, row, 'pair state');
  return { blocked: parsed.blocked === 1, alreadyFriends: parsed.friends === 1, reversePending: parsed.reverse_pending === 1 };
}

const count = z.number().check(z.int(), z.nonnegative());

const profileRowSchema = z.object({
  followers: count,
  following_count: count,
  friend_count: count,
  following: flag,
  followed_by: flag,
  friend: flag,
  request_sent: flag,
  request_received: flag,
  blocking: flag,
  blocked_by: flag,
  muted: flag,
});

export interface ProfileFacts {
  counts: ProfileCounts;
  relation: ProfileRelation;
  /** The profile's user blocked the viewer. */
  blockedByTarget: boolean;
}

/** Reads the counts of `targetId` and the relation of `viewerId` to them. */
export async function readProfileFacts(db: Database, viewerId: string, targetId: string, now: number): Promise<ProfileFacts> {
  const row = await db.get(sql`
    SELECT
      (SELECT COUNT(*) FROM follows WHERE followee_id = ${targetId}) AS followers,
      (SELECT COUNT(*) FROM follows WHERE follower_id = ${targetId}) AS following_count,
      (SELECT COUNT(*) FROM friendships WHERE user_id = ${targetId}) AS friend_count,
      EXISTS (SELECT 1 FROM follows WHERE follower_id = ${viewerId} AND followee_id = ${targetId}) AS following,
      EXISTS (SELECT 1 FROM follows WHERE follower_id = ${targetId} AND followee_id = ${viewerId}) AS followed_by,
      EXISTS (SELECT 1 FROM friendships WHERE user_id = ${viewerId} AND friend_id = ${targetId}) AS friend,
      EXISTS (SELECT 1 FROM friend_requests
        WHERE from_id = ${viewerId} AND to_id = ${targetId} AND expires_at > ${now}) AS request_sent,
      EXISTS (SELECT 1 FROM friend_requests
        WHERE from_id = ${targetId} AND to_id = ${viewerId} AND expires_at > ${now}) AS request_received,
      EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${viewerId} AND blocked_id = ${targetId}) AS blocking,
      EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${targetId} AND blocked_id = ${viewerId}) AS blocked_by,
      EXISTS (SELECT 1 FROM user_mutes WHERE user_id = ${viewerId} AND muted_user_id = ${targetId}) AS muted`);

  const parsed = checkRow(profileRowSchema, row, 'profile facts');
  return {
    counts: { followers: parsed.followers, following: parsed.following_count, friends: parsed.friend_count },
    relation: {
      following: parsed.following === 1,
      followedBy: parsed.followed_by === 1,
      friend: parsed.friend === 1,
      requestSent: parsed.request_sent === 1,
      requestReceived: parsed.request_received === 1,
      blocking: parsed.blocking === 1,
      muted: parsed.muted === 1,
    },
    blockedByTarget: parsed.blocked_by === 1,
  };
}

/** Every flag false: what a user who was blocked by the profile's user sees. */
export const NO_RELATION: ProfileRelation = {
  following: false,
  followedBy: false,
  friend: false,
  requestSent: false,
  requestReceived: false,
  blocking: false,
  muted: false,
};

function checkRow<T>(schema: z.ZodMiniType<T>, row: unknown, what: string): T {
  const result = validate(schema, row);
  if (!result.ok) throw new Error(`D1 returned an invalid ${what} row: ${result.message}`);
  return result.value;
}
