// D1 access to the group directory: one row per live group and one per
// membership. GroupDO is the source of truth and rewrites these rows after
// each change; routes read them to list a user's groups and to search.

import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { GroupSummary } from '../../protocol/groups';
import type { Database } from './client';
import { groupMemberships, groups } from './schema';

export interface DirectoryRow {
  id: string;
  name: string;
  ownerId: string;
  memberCount: number;
  createdAt: number;
}

export interface DirectoryChange {
  group: DirectoryRow;
  added: Array<{ userId: string; joinedAt: number }>;
  removed: string[];
}

/** Writes the group row and the membership changes in one D1 batch. */
export async function writeDirectory(db: Database, change: DirectoryChange): Promise<void> {
  const { group } = change;
  const upsert = db
    .insert(groups)
    .values(group)
    .onConflictDoUpdate({
      target: groups.id,
      set: { name: group.name, ownerId: group.ownerId, memberCount: group.memberCount },
    });
  const additions = change.added.map((member) =>
    db.insert(groupMemberships).values({ groupId: group.id, ...member }).onConflictDoNothing(),
  );
  const removal = db
    .delete(groupMemberships)
    .where(and(eq(groupMemberships.groupId, group.id), inArray(groupMemberships.userId, change.removed)));

  await db.batch([upsert, ...additions, ...(change.removed.length > 0 ? [removal] : [])]);
}

/** Returns whether every one of `userIds` (distinct) is a member of the group, in one query. */
export async function areGroupMembers(db: Database, groupId: string, userIds: string[]): Promise<boolean> {
  const distinct = [...new Set(userIds)];
  const row = await db
    .select({ n: count() })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.groupId, groupId), inArray(groupMemberships.userId, distinct)))
    .get();
  return (row?.n ?? 0) === distinct.length;
}

/** Removes a dissolved group and all of its memberships. */
export async function deleteDirectory(db: Database, groupId: string): Promise<void> {
  await db.batch([
    db.delete(groupMemberships).where(eq(groupMemberships.groupId, groupId)),
    db.delete(groups).where(eq(groups.id, groupId)),
  ]);
}

/** Lists the groups of `userId`, most recently joined first. */
export async function listUserGroups(db: Database, userId: string, limit: number): Promise<GroupSummary[]> {
  return db
    .select({ id: groups.id, name: groups.name, memberCount: groups.memberCount })
    .from(groupMemberships)
    .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
    .where(eq(groupMemberships.userId, userId))
    .orderBy(desc(groupMemberships.joinedAt))
    .limit(limit)
    .all();
}

export async function countUserGroups(db: Database, userId: string): Promise<number> {
  const row = await db.select({ n: count() }).from(groupMemberships).where(eq(groupMemberships.userId, userId)).get();
  return row?.n ?? 0;
}

/** Groups whose name contains `query`, ignoring ASCII case; LIKE wildcards in the query match literally. */
export async function searchGroups(db: Database, query: string, limit: number): Promise<GroupSummary[]> {
  const pattern = `%${query.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  return db
    .select({ id: groups.id, name: groups.name, memberCount: groups.memberCount })
    .from(groups)
    .where(sql`${groups.name} LIKE ${pattern} ESCAPE '\\'`)
    .orderBy(desc(groups.memberCount))
    .limit(limit)
    .all();
}
