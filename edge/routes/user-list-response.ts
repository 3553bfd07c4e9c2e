import type { Context } from 'hono';
import { USER_LIST_PAGE_DEFAULT, USER_LIST_PAGE_MAX } from '../../protocol/limits';
import type { UserListResponse } from '../../protocol/relations';
import { listPositionSchema, listUsers, type UserListName } from '../db/user-lists';
import type { AppEnv } from '../http/app-env';
import { encodeCursor, readCursor, readPageLimit } from '../http/paging';

/** Returns one page of a user list of the caller; `limit` and `cursor` come from the query string. */
export async function userListResponse(c: Context<AppEnv>, name: UserListName): Promise<Response> {
  const limit = readPageLimit(c, USER_LIST_PAGE_DEFAULT, USER_LIST_PAGE_MAX);
  const after = readCursor(c, listPositionSchema);
  const page = await listUsers(c.var.db, name, c.var.session.userId, limit, after);

  const response: UserListResponse = { users: page.users, nextCursor: page.next ? encodeCursor(page.next) : null };
  return c.json(response);
}
