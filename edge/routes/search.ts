// GET /search/users: users by username prefix and display-name substring.

import { Hono } from 'hono';
import { SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX } from '../../protocol/limits';
import type { SearchResponse } from '../../protocol/relations';
import { requireSession } from '../auth/authenticate';
import { searchPositionSchema, searchUsers } from '../db/search';
import type { AppEnv } from '../http/app-env';
import { encodeCursor, readCursor, readPageLimit } from '../http/paging';
import { parseSearchQuery } from '../search/query';

export const searchRoutes = new Hono<AppEnv>();

/** `q` (1 to SEARCH_QUERY_MAX_CHARS characters after trimming), `limit`, `cursor`. Blocked users are absent both ways. */
searchRoutes.get('/search/users', requireSession, async (c) => {
  const query = parseSearchQuery(c.req.query('q'));
  const limit = readPageLimit(c, SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX);
  const after = readCursor(c, searchPositionSchema);

  const page = await searchUsers(c.var.db, c.var.session.userId, query, limit, after);
  const response: SearchResponse = { users: page.results, nextCursor: page.next ? encodeCursor(page.next) : null };
  return c.json(response);
});
