// The start that opening a chat and inviting to a group share: validate a
// username, look the user up and remember the profile, then act on it.

import type { PublicProfile } from '../../../protocol/api';
import type { ErrorDetails } from '../i18n/errors';
import { getUserByUsername } from '../net/api';
import { ApiError } from '../net/http';
import { validateUsername } from '../validation';
import type { Account } from './account';
import { rememberProfile } from './profiles';

export type UsernameFailure = ErrorDetails | { notFound: string };

export type UsernameStepResult<T> = { ok: true; value: T } | { ok: false; error: UsernameFailure };

/**
 * Looks the user up by `username`, remembers the profile and runs `step` with
 * it. An API error from the lookup or from `step` becomes the failure, and
 * `not_found` from either becomes `{ notFound: username }`.
 */
export async function withUserByUsername<T>(
  account: Account,
  username: string,
  step: (profile: PublicProfile) => Promise<T>,
): Promise<UsernameStepResult<T>> {
  const trimmed = username.trim();
  const invalid = validateUsername(trimmed);
  if (invalid) return { ok: false, error: invalid };

  try {
    const profile = await getUserByUsername(trimmed);
    await rememberProfile(account, profile);
    return { ok: true, value: await step(profile) };
  } catch (error) {
    if (error instanceof ApiError && error.details.code === 'not_found') return { ok: false, error: { notFound: trimmed } };
    if (error instanceof ApiError) return { ok: false, error: error.details };
    throw error;
  }
}
