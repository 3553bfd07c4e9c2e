// User search over D1, ranked in three tiers: the exact username, then
// usernames starting with the query (in username order), then display names
// containing it (oldest account first). Each tier reads an index range in
// order with a LIMIT, so a page costs the same however many users exist.
// The index tables and triggers are in migrations/0002_search_index.sql.

import { sql, type SQL } from 'drizzle-orm';
import * as z from 'zod/mini';
import type { SearchResult } from '../../protocol/relations';
import type { SearchQuery } from '../search/query';
import { validate } from '../validation';
import type { Database } from './client';
import { toUserSummary } from './users';

/** Where the next page starts: after a username key in the prefix tier, or after a search doc id in the name tier. */
export const searchPositionSchema = z.discriminatedUnion('tier', [
  z.object({ tier: z.literal('prefix'), after: z.string() }),
  z.object({ tier: z.literal('name'), after: z.number().check(z.int(), z.nonnegative()) }),
]);
export type SearchPosition = z.infer<typeof searchPositionSchema>;

const TIERS = ['exact', 'prefix', 'name'] as const;
type Tier = (typeof TIERS)[number];

const hitRowSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  avatarKey: z.nullable(z.string()),
  position: z.union([z.string(), z.number()]),
});
type HitRow = z.infer<typeof hitRowSchema>;

export interface SearchPage {
  results: SearchResult[];
  next?: SearchPosition;
}

const MATCH_OF_TIER: Record<Tier, SearchResult['match']> = { exact: 'exact', prefix: 'prefix', name: 'name' };

/** One page of users matching `query` that `viewerId` may see: no one either of them blocked. */
export async function searchUsers(
  db: Database,
  viewerId: string,
  query: SearchQuery,
  limit: number,
  cursor: SearchPosition | undefined,
): Promise<SearchPage> {
  const results: SearchResult[] = [];
  const firstTier = cursor ? TIERS.indexOf(cursor.tier) : 0;

  for (const tier of TIERS.slice(firstTier)) {
    const after = cursor?.tier === tier ? cursor.after : undefined;
    const remaining = limit - results.length;
    const rows = await readTier(db, viewerId, query, tier, after, remaining + 1);
    const taken = rows.slice(0, remaining);
    results.push(...taken.map((row) => ({ ...toUserSummary(row), match: MATCH_OF_TIER[tier] })));

    if (rows.length > remaining) {
      const last = taken.at(-1);
      return { results, next: positionAfter(tier, query, last ? last.position : after) };
    }
  }
  return { results };
}

function positionAfter(tier: Tier, query: SearchQuery, after: string | number | undefined): SearchPosition {
  if (tier === 'name') return { tier, after: typeof after === 'number' ? after : 0 };
  return { tier: 'prefix', after: typeof after === 'string' ? after : (query.username?.key ?? '') };
}

async function readTier(
  db: Database,
  viewerId: string,
  query: SearchQuery,
  tier: Tier,
  after: string | number | undefined,
  limit: number,
): Promise<HitRow[]> {
  const statement = tierStatement(viewerId, query, tier, after, limit);
  if (!statement) return [];

  const rows = await db.all(statement);
  return rows.map((row) => {
    const hit = validate(hitRowSchema, row);
    if (!hit.ok) throw new Error(`D1 returned an invalid search row: ${hit.message}`);
    return hit.value;
  });
}

function tierStatement(
  viewerId: string,
  query: SearchQuery,
  tier: Tier,
  after: string | number | undefined,
  limit: number,
): SQL | undefined {
  const columns = sql`u.id AS id, u.username AS username, u.display_name AS displayName, u.avatar_key AS avatarKey`;
  const visible = sql`NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ${viewerId} AND blocked_id = u.id)
    AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = u.id AND blocked_id = ${viewerId})`;
  const username = query.username;

  switch (tier) {
    case 'exact':
      if (!username) return undefined;
      return sql`SELECT ${columns}, u.username_key AS position FROM users AS u
        WHERE u.username_key = ${username.key} AND ${visible}
        LIMIT ${limit}`;
    case 'prefix': {
      if (!username) return undefined;
      const from = typeof after === 'string' ? after : username.key;
      return sql`SELECT ${columns}, u.username_key AS position FROM users AS u
        WHERE u.username_key > ${from} AND u.username_key < ${username.end} AND ${visible}
        ORDER BY u.username_key
        LIMIT ${limit}`;
    }
    case 'name': {
      const from = typeof after === 'number' ? after : 0;
      // Users the username tiers already returned are left out here.
      const notUsernameMatch = username
        ? sql`NOT (u.username_key >= ${username.key} AND u.username_key < ${username.end})`
        : sql`1`;
      if (query.nameIndex === 'trigram') {
        return sql`SELECT ${columns}, f.rowid AS position FROM user_search_fts AS f
          JOIN user_search_docs AS d ON d.doc_id = f.rowid
          JOIN users AS u ON u.id = d.user_id
          WHERE f.display_name MATCH ${query.ftsPhrase} AND f.rowid > ${from} AND ${notUsernameMatch} AND ${visible}
          ORDER BY f.rowid
          LIMIT ${limit}`;
      }
      return sql`SELECT ${columns}, g.doc_id AS position FROM user_search_grams AS g
        JOIN user_search_docs AS d ON d.doc_id = g.doc_id
        JOIN users AS u ON u.id = d.user_id
        WHERE g.gram = lower(${query.text}) AND g.doc_id > ${from} AND ${notUsernameMatch} AND ${visible}
        ORDER BY g.doc_id
        LIMIT ${limit}`;
    }
    default: {
      const unreachable: never = tier;
      throw new Error(`Unknown search tier ${String(unreachable)}`);
    }
  }
}
