// D1 access to the `users` table.

import { eq } from 'drizzle-orm';
import { API_PREFIX, type OwnProfile, type PublicProfile } from '../../protocol/api';
import type { Gender, UserSummary } from '../../protocol/relations';
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

export interface ProfileChanges {
  displayName?: string;
  bio?: string;
  /** null clears the gender. */
  gender?: Gender | null;
  region?: string;
}

/** Applies the fields present in `changes` and returns the updated row, or undefined for an unknown id. */
export async function updateUserProfile(db: Database, id: string, changes: ProfileChanges): Promise<UserRow | undefined> {
  // drizzle leaves fields whose value is undefined out of the UPDATE.
  if (Object.values(changes).every((value) => value === undefined)) return findUserById(db, id);
  return db.update(users).set(changes).where(eq(users.id, id)).returning().get();
}

/** The avatar's path under this origin, served by GET /api/v1/avatars/:userId/:avatarId. */
export function avatarUrl(avatarKey: string | null): string | undefined {
  return avatarKey === null ? undefined : `${API_PREFIX}/${avatarKey}`;
}

export function toPublicProfile(row: UserRow): PublicProfile {
  const profile: PublicProfile = { id: row.id, username: row.username, displayName: row.displayName, bio: row.bio };
  if (row.gender !== null) profile.gender = row.gender;
  if (row.region !== '') profile.region = row.region;
  const url = avatarUrl(row.avatarKey);
  if (url !== undefined) profile.avatarUrl = url;
  return profile;
}

export function toUserSummary(row: Pick<UserRow, 'id' | 'username' | 'displayName' | 'avatarKey'>): UserSummary {
  const summary: UserSummary = { id: row.id, username: row.username, displayName: row.displayName };
  const url = avatarUrl(row.avatarKey);
  if (url !== undefined) summary.avatarUrl = url;
  return summary;
}

export function toOwnProfile(row: UserRow): OwnProfile {
  return { ...toPublicProfile(row), createdAt: row.createdAt };
}

/** Sets or clears the avatar key and returns the updated row, or undefined for an unknown id. */
export async function updateAvatarKey(db: Database, id: string, avatarKey: string | null): Promise<UserRow | undefined> {
  return db.update(users).set({ avatarKey }).where(eq(users.id, id)).returning().get();
}
