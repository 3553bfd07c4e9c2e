// D1 access to blocks.

import { and, eq, or } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Database } from './client';
import { blocks, follows, friendRequests, friendships } from './schema';

/** Rows that link `a` and `b` in either direction through the columns `left` and `right`. */
function eitherWay(left: SQLiteColumn, right: SQLiteColumn, a: string, b: string) {
  return or(and(eq(left, a), eq(right, b)), and(eq(left, b), eq(right, a)));
}

/**
 * Blocks `blockedId` for `blockerId` and, in the same transaction, removes
 * follows, the friendship and pending friend requests in both directions.
 * Mutes and conversation settings stay. Blocking twice changes nothing.
 */
export async function insertBlock(db: Database, blockerId: string, blockedId: string, now: number): Promise<void> {
  await db.batch([
    db.insert(blocks).values({ blockerId, blockedId, createdAt: now }).onConflictDoNothing(),
    db.delete(follows).where(eitherWay(follows.followerId, follows.followeeId, blockerId, blockedId)),
    db.delete(friendships).where(eitherWay(friendships.userId, friendships.friendId, blockerId, blockedId)),
    db.delete(friendRequests).where(eitherWay(friendRequests.fromId, friendRequests.toId, blockerId, blockedId)),
  ]);
}

/** Lifts the block. Nothing the block removed comes back. */
export async function deleteBlock(db: Database, blockerId: string, blockedId: string): Promise<void> {
  await db
    .delete(blocks)
    .where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)))
    .run();
}
