// D1 directory schema. `npm run db:generate` turns changes here into SQL
// under migrations/ (drizzle-kit); never edit an applied migration.

import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { GENDER_VALUES, MESSAGE_PRIVACY_VALUES } from '../../protocol/relations';

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    /** Lower-cased username: uniqueness and look-ups ignore case. */
    usernameKey: text('username_key').notNull(),
    displayName: text('display_name').notNull(),
    bio: text('bio').notNull().default(''),
    /** PBKDF2-SHA256 output, base64url. */
    passwordHash: text('password_hash').notNull(),
    passwordSalt: text('password_salt').notNull(),
    /** Iterations used for this hash, so the constant can rise without breaking old accounts. */
    passwordIterations: integer('password_iterations').notNull(),
    createdAt: integer('created_at').notNull(),
    gender: text('gender', { enum: GENDER_VALUES }),
    region: text('region').notNull().default(''),
    /** R2 key of the current avatar, `avatars/<user id>/<random id>`; null when the user has none. */
    avatarKey: text('avatar_key'),
    /** Who may message this user; checked by the sender's UserDO before a message is stored. */
    messagePrivacy: text('message_privacy', { enum: MESSAGE_PRIVACY_VALUES }).notNull().default('everyone'),
    /** Global switch for pushes, sounds and badges. Messages still arrive and count as unread while it is off. */
    notifications: integer('notifications', { mode: 'boolean' }).notNull().default(true),
  },
  (table) => [uniqueIndex('users_username_key_unique').on(table.usernameKey)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    /** SHA-256 of the bearer token, base64url. The token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    deviceClass: text('device_class', { enum: ['phone', 'desktop'] }).notNull(),
    userAgent: text('user_agent').notNull(),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** Set when signed out or pushed out by a newer sign-in; a revoked token opens nothing. */
    revokedAt: integer('revoked_at'),
    revokedReason: text('revoked_reason', { enum: ['signed_out', 'signed_in_elsewhere'] }),
  },
  (table) => [
    uniqueIndex('sessions_token_hash_unique').on(table.tokenHash),
    index('sessions_user_active').on(table.userId, table.revokedAt, table.deviceClass),
  ],
);

// ---------------------------------------------------------------------------
// Relations. The user-search index (FTS5 trigram table, name n-grams and the
// triggers that keep them in step with `users`) is hand-written SQL in
// migrations/0002_search_index.sql, because drizzle-kit cannot declare virtual tables.

/** `follower_id` follows `followee_id`. */
export const follows = sqliteTable(
  'follows',
  {
    followerId: text('follower_id')
      .notNull()
      .references(() => users.id),
    followeeId: text('followee_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.followerId, table.followeeId] }),
    index('follows_follower_created').on(table.followerId, table.createdAt),
    index('follows_followee_created').on(table.followeeId, table.createdAt),
  ],
);

/** One row per direction: a friendship of A and B is (A, B) and (B, A), written and removed together. */
export const friendships = sqliteTable(
  'friendships',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    friendId: text('friend_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.friendId] }),
    index('friendships_user_created').on(table.userId, table.createdAt),
  ],
);

/**
 * Pending friend requests only: accepting, declining, a block or expiry ends
 * one, and a repeated request replaces the row. Rows past `expires_at` count as absent.
 */
export const friendRequests = sqliteTable(
  'friend_requests',
  {
    fromId: text('from_id')
      .notNull()
      .references(() => users.id),
    toId: text('to_id')
      .notNull()
      .references(() => users.id),
    message: text('message').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.fromId, table.toId] }),
    index('friend_requests_to_expires').on(table.toId, table.expiresAt),
    index('friend_requests_from_expires').on(table.fromId, table.expiresAt),
  ],
);

/** `blocker_id` blocked `blocked_id`. A block stops messages, follows and requests both ways. */
export const blocks = sqliteTable(
  'blocks',
  {
    blockerId: text('blocker_id')
      .notNull()
      .references(() => users.id),
    blockedId: text('blocked_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.blockerId, table.blockedId] }),
    index('blocks_blocker_created').on(table.blockerId, table.createdAt),
  ],
);

/** `user_id` muted `muted_user_id`: messages from them are acknowledged to them but never reach this inbox. */
export const userMutes = sqliteTable(
  'user_mutes',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    mutedUserId: text('muted_user_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.mutedUserId] })],
);

/** Per-conversation settings of one user; a conversation without a row has the defaults. */
export const conversationSettings = sqliteTable(
  'conversation_settings',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    conversationId: text('conversation_id').notNull(),
    /** Messages in this conversation never reach the user's inbox. */
    muted: integer('muted', { mode: 'boolean' }).notNull().default(false),
    /** Pushes, sounds and badges for this conversation. */
    notifications: integer('notifications', { mode: 'boolean' }).notNull().default(true),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.conversationId] })],
);

/**
 * The key directory: one row per browser install that registered for
 * end-to-end encryption. A device is active while the session it is bound to
 * is not revoked; registering again binds it to the new session. Keys are
 * base64url, as on the wire.
 */
export const devices = sqliteTable(
  'devices',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    /** The session the device last registered with; one device per session. */
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id),
    identitySigningKey: text('identity_signing_key').notNull(),
    identityDhKey: text('identity_dh_key').notNull(),
    identityDhKeySignature: text('identity_dh_key_signature').notNull(),
    signedPreKeyId: integer('signed_prekey_id').notNull(),
    signedPreKey: text('signed_prekey').notNull(),
    signedPreKeySignature: text('signed_prekey_signature').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [uniqueIndex('devices_session_unique').on(table.sessionId), index('devices_user').on(table.userId)],
);

/** One-time prekeys not yet handed out. A claim deletes the key it returns, so each is handed out at most once. */
export const oneTimePreKeys = sqliteTable(
  'one_time_prekeys',
  {
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    keyId: integer('key_id').notNull(),
    publicKey: text('public_key').notNull(),
    signature: text('signature').notNull(),
  },
  (table) => [primaryKey({ columns: [table.deviceId, table.keyId] })],
);

// ---------------------------------------------------------------------------
// Groups. Each group's members, roles, settings and message log live in its
// GroupDO; D1 keeps a directory copy so that a user can list their groups and
// search can find groups. GroupDO writes these rows after its own storage.

export const groups = sqliteTable(
  'groups',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    ownerId: text('owner_id').notNull(),
    memberCount: integer('member_count').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('groups_name').on(table.name)],
);

/** One row per (group, member); the member list with roles is in GroupDO. */
export const groupMemberships = sqliteTable(
  'group_memberships',
  {
    groupId: text('group_id').notNull(),
    userId: text('user_id').notNull(),
    joinedAt: integer('joined_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.groupId, table.userId] }),
    index('group_memberships_user_joined').on(table.userId, table.joinedAt),
  ],
);
