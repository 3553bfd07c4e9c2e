// D1 directory schema. `npm run db:generate` turns changes here into SQL
// under migrations/ (drizzle-kit); never edit an applied migration.

import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
