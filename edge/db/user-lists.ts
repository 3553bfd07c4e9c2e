// Paged lists of users related to one user (following, followers, friends,
// blocked), newest relation first. Pages are keyset-paged on (created_at,
// other user id), so a row added or removed between pages never shifts the
// others into a duplicate or a gap.

import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as z from 'zod/mini';
import type { UserSummary } from '../../protocol/relations';
import type { Database } from './client';
import { blocks, follows, friendships, users } from './schema';
import { toUserSummary } from './users';

/** Where a page ends: the relation's `created_at` and the other user's id of its last row. */
export const listPositionSchema = z.object({ createdAt: z.number(), userId: z.string() });
export type ListPosition = z.infer<typeof listPositionSchema>;

/** One relation table seen from `owner`: each row links the owner to `other` since `createdAt`. */
interface UserListSpec {
  table: SQLiteTable;
  owner: SQLiteColumn;
  other: SQLiteColumn;
  createdAt: SQLiteColumn;
}

export const USER_LISTS = {
  following: { table: follows, owner: follows.followerId, other: follows.followeeId, createdAt: follows.createdAt },
  followers: { table: follows, owner: follows.followeeId, other: follows.followerId, createdAt: follows.createdAt },
  friends: { table: friendships, owner: friendships.userId, other: friendships.friendId, createdAt: friendships.createdAt },
  blocked: { table: blocks, owner: blocks.blockerId, other: blocks.blockedId, createdAt: blocks.createdAt },
} satisfies Record<string, UserListSpec>;

export type UserListName = keyof typeof USER_LISTS;

export interface UserPage {
  users: UserSummary[];
  /** Position of the last row when more rows follow; undefined on the last page. */
  next?: ListPosition;
}

export async function listUsers(
  db: Database,
  name: UserListName,
  ownerId: string,
  limit: number,
  after: ListPosition | undefined,
): Promise<UserPage> {
  const spec: UserListSpec = USER_LISTS[name];
  const conditions = [eq(spec.owner, ownerId)];
  if (after) {
    conditions.push(
      or(lt(spec.createdAt, after.createdAt), and(eq(spec.createdAt, after.createdAt), lt(spec.other, after.userId)))!,
    );
  }

  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      avatarKey: users.avatarKey,
      createdAt: spec.createdAt,
    })
    .from(spec.table)
    .innerJoin(users, eq(users.id, spec.other))
    .where(and(...conditions))
    .orderBy(desc(spec.createdAt), desc(spec.other))
    .limit(limit + 1)
    .all();

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? { createdAt: Number(last.createdAt), userId: last.id } : undefined;
  return { users: page.map(toUserSummary), next };
}
