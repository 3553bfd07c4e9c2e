// Checks shared by the routes that act on another user.

import type { Database } from '../db/client';
import { findUserById, type UserRow } from '../db/users';
import { ApiError, notFound } from '../http/api-error';

/** Returns the user `targetId`; 400 when it is the caller (`action` names what was tried), 404 when unknown. */
export async function requireOtherUser(db: Database, callerId: string, targetId: string, action: string): Promise<UserRow> {
  if (targetId === callerId) {
    throw new ApiError(400, 'invalid_request', `You cannot ${action} yourself.`, { field: 'userId' });
  }
  const user = await findUserById(db, targetId);
  if (!user) throw notFound(`A user with the id ${JSON.stringify(targetId)}`);
  return user;
}

/** The one answer for an action a block stops, so it does not tell which side blocked. */
export function notAllowed(action: string): ApiError {
  return new ApiError(403, 'not_allowed', `You cannot ${action} this user.`);
}
