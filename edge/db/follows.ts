// D1 access to follows.

import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './client';
import { follows } from './schema';

/**
 * Adds the follow unless it exists or a block stands between the two users.
 * Returns true only when a row was added, so a repeated follow raises no
 * second `follow` event.
 */
export async function insertFollow(db: Database, followerId: string, followeeId: string, now: number): Promise<boolean> {
  const inserted = await db.all(sql`INSERT INTO follows (follower_id, followee_id, created_at)
    SELECT ${followerId}, ${followeeId}, ${now}
    WHERE NOT EXISTS (SELECT 1 FROM blocks
      WHERE (blocker_id = ${followerId} AND blocked_id = ${followeeId})
         OR (blocker_id = ${followeeId} AND blocked_id = ${followerId}))
    ON CONFLICT DO NOTHING
    RETURNING follower_id`);
  return inserted.length > 0;
}

export async function deleteFollow(db: Database, followerId: string, followeeId: string): Promise<void> {
  await db
    .delete(follows)
    .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followeeId)))
    .run();
}
