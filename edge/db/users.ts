// D1 access to the `users` table.

import { eq } from 'drizzle-orm';
import type { OwnProfile, PublicProfile } from '../../protocol/api';
import type { Database } from './client';
import { users } from './schema';

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;

export function insertUserStatement(db: Database, row: NewUserRow) {
  return db.insert(users).values(row);
}

export async function findUserById(db: Database, id: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.id, id)).get();
}

/** `key` is the lower-cased username, so the look-up ignores case. */
export async function findUserByUsernameKey(db: Database, key: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.usernameKey, key)).get();
}

export async function userExists(db: Database, id: string): Promise<boolean> {
  const row = await db.select({ id: users.id }).from(users).where(eq(users.id, id)).get();
  return row !== undefined;
}

/** Applies the fields present in `changes` and returns the updated row, or undefined for an unknown id. */
export async function updateUserProfile(
  db: Database,
  id: string,
  changes: { displayName?: string; bio?: string },
): Promise<UserRow | undefined> {
  if (changes.displayName === undefined && changes.bio === undefined) return findUserById(db, id);
  return db.update(users).set(changes).where(eq(users.id, id)).returning().get();
}

export function toPublicProfile(row: UserRow): PublicProfile {
  return { id: row.id, username: row.username, displayName: row.displayName, bio: row.bio };
}

export function toOwnProfile(row: UserRow): OwnProfile {
  return { ...toPublicProfile(row), createdAt: row.createdAt };
}
