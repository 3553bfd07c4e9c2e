// D1 access to friend requests and friendships. Each change runs as one D1
// batch, which D1 executes as one transaction, so two requests that cross
// (A sends B a request while B sends A one) end as one friendship, whichever
// lands second.

import { and, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import * as z from 'zod/mini';
import type { FriendRequestInfo } from '../../protocol/relations';
import { friendRequestExpiry } from '../relations/rules';
import { validate } from '../validation';
import type { Database } from './client';
import { runRawBatch } from './raw-batch';
import { friendRequests, users } from './schema';
import { toUserSummary } from './users';

/**
 * Statements that make `a` and `b` friends if `requester` has a pending
 * request to the other one, then clear the requests between them once they
 * are friends. The first statement's RETURNING rows show whether a
 * friendship was created.
 */
function befriendStatements(a: string, b: string, requester: string, now: number): SQL[] {
  const recipient = requester === a ? b : a;
  const pending = sql`EXISTS (SELECT 1 FROM friend_requests
    WHERE from_id = ${requester} AND to_id = ${recipient} AND expires_at > ${now})`;
  return [
    sql`INSERT INTO friendships (user_id, friend_id, created_at)
      SELECT ${a}, ${b}, ${now} WHERE ${pending}
      ON CONFLICT DO NOTHING RETURNING user_id`,
    sql`INSERT INTO friendships (user_id, friend_id, created_at)
      SELECT ${b}, ${a}, ${now} WHERE ${pending}
      ON CONFLICT DO NOTHING`,
    sql`DELETE FROM friend_requests
      WHERE ((from_id = ${a} AND to_id = ${b}) OR (from_id = ${b} AND to_id = ${a}))
        AND EXISTS (SELECT 1 FROM friendships WHERE user_id = ${a} AND friend_id = ${b})`,
  ];
}

/** Rows a batch statement returned through RETURNING or SELECT. */
function rowsOf(result: D1Result | undefined): unknown[] {
  return result?.results ?? [];
}

const flag = z.union([z.literal(0), z.literal(1)]);
const requestStateSchema = z.object({ stored: flag, friends: flag });

export type SendRequestOutcome =
  | { status: 'pending'; expiresAt: number }
  | { status: 'friends'; created: boolean }
  | { status: 'blocked' };

/**
 * Stores (or replaces) the request from `fromId` to `toId`, unless either
 * user blocked the other. If `toId` had a pending request to `fromId`, both
 * become friends instead and both requests are cleared.
 */
export async function sendFriendRequest(
  db: Database,
  fromId: string,
  toId: string,
  message: string,
  now: number,
): Promise<SendRequestOutcome> {
  const expiresAt = friendRequestExpiry(now);
  const [, created, , , state] = await runRawBatch(db, [
    sql`INSERT INTO friend_requests (from_id, to_id, message, created_at, expires_at)
      SELECT ${fromId}, ${toId}, ${message}, ${now}, ${expiresAt}
      WHERE NOT EXISTS (SELECT 1 FROM blocks
        WHERE (blocker_id = ${fromId} AND blocked_id = ${toId}) OR (blocker_id = ${toId} AND blocked_id = ${fromId}))
      ON CONFLICT (from_id, to_id) DO UPDATE SET
        message = excluded.message, created_at = excluded.created_at, expires_at = excluded.expires_at`,
    ...befriendStatements(fromId, toId, toId, now),
    sql`SELECT
      EXISTS (SELECT 1 FROM friend_requests
        WHERE from_id = ${fromId} AND to_id = ${toId} AND expires_at = ${expiresAt}) AS stored,
      EXISTS (SELECT 1 FROM friendships WHERE user_id = ${fromId} AND friend_id = ${toId}) AS friends`,
  ]);

  if (rowsOf(created).length > 0) return { status: 'friends', created: true };
  const after = validate(requestStateSchema, rowsOf(state)[0]);
  if (!after.ok) throw new Error(`D1 returned an invalid friend request state: ${after.message}`);
  if (after.value.friends === 1) return { status: 'friends', created: false };
  if (after.value.stored === 1) return { status: 'pending', expiresAt };
  return { status: 'blocked' };
}

/** Accepts the pending request from `requesterId` to `userId`; false when there is none (or it expired). */
export async function acceptFriendRequest(db: Database, userId: string, requesterId: string, now: number): Promise<boolean> {
  const [created] = await runRawBatch(db, befriendStatements(userId, requesterId, requesterId, now));
  return rowsOf(created).length > 0;
}

/** Deletes the pending request from `requesterId` to `userId`; false when there was none (or it expired). */
export async function declineFriendRequest(db: Database, userId: string, requesterId: string, now: number): Promise<boolean> {
  const deleted = await db
    .delete(friendRequests)
    .where(
      and(eq(friendRequests.fromId, requesterId), eq(friendRequests.toId, userId), gt(friendRequests.expiresAt, now)),
    )
    .returning({ fromId: friendRequests.fromId })
    .all();
  return deleted.length > 0;
}

/** Ends the friendship of `userId` and `friendId`, both rows; false when they were not friends. */
export async function removeFriendship(db: Database, userId: string, friendId: string): Promise<boolean> {
  const deleted = await db.all(sql`DELETE FROM friendships
    WHERE (user_id = ${userId} AND friend_id = ${friendId}) OR (user_id = ${friendId} AND friend_id = ${userId})
    RETURNING user_id`);
  return deleted.length > 0;
}

export const requestPositionSchema = z.object({ createdAt: z.number(), userId: z.string() });
export type RequestPosition = z.infer<typeof requestPositionSchema>;

export interface RequestPage {
  requests: FriendRequestInfo[];
  next?: RequestPosition;
}

/**
 * Pending requests to (`incoming`) or from (`outgoing`) `userId`, newest
 * first, keyset-paged on (created_at, other user id). Expired ones are left out.
 */
export async function listFriendRequests(
  db: Database,
  userId: string,
  direction: 'incoming' | 'outgoing',
  limit: number,
  after: RequestPosition | undefined,
  now: number,
): Promise<RequestPage> {
  const owner = direction === 'incoming' ? friendRequests.toId : friendRequests.fromId;
  const other = direction === 'incoming' ? friendRequests.fromId : friendRequests.toId;
  const conditions = [eq(owner, userId), gt(friendRequests.expiresAt, now)];
  if (after) {
    conditions.push(
      or(
        lt(friendRequests.createdAt, after.createdAt),
        and(eq(friendRequests.createdAt, after.createdAt), lt(other, after.userId)),
      )!,
    );
  }

  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      avatarKey: users.avatarKey,
      message: friendRequests.message,
      createdAt: friendRequests.createdAt,
      expiresAt: friendRequests.expiresAt,
    })
    .from(friendRequests)
    .innerJoin(users, eq(users.id, other))
    .where(and(...conditions))
    .orderBy(desc(friendRequests.createdAt), desc(other))
    .limit(limit + 1)
    .all();

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    requests: page.map((row) => ({
      user: toUserSummary(row),
      message: row.message,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
    })),
    next: rows.length > limit && last ? { createdAt: last.createdAt, userId: last.id } : undefined,
  };
}
