// Public profiles of the people in the conversation list and chats, from the
// local cache first and refreshed from the server.

import { signal } from '@preact/signals';
import type { PublicProfile } from '../../../protocol/api';
import { getUser } from '../net/api';
import { cacheProfile, listCachedProfiles } from '../store/profiles';
import type { CachedProfile } from '../store/db';
import type { Account } from './account';

/** A cached profile older than this is fetched again when shown, so renamed users update. */
export const PROFILE_REFRESH_MS = 60 * 60 * 1000;

export const profiles = signal<ReadonlyMap<string, CachedProfile>>(new Map());

const inFlight = new Set<string>();

export async function loadCachedProfiles(account: Account): Promise<void> {
  const cached = await listCachedProfiles(account.db);
  profiles.value = new Map(cached.map((profile) => [profile.id, profile]));
}

export async function rememberProfile(account: Account, profile: PublicProfile): Promise<void> {
  const cached = await cacheProfile(account.db, profile, Date.now());
  profiles.value = new Map(profiles.value).set(cached.id, cached);
}

/** Fetches profiles that are missing or stale. Failures keep the cached copy; the next view retries. */
export function ensureProfiles(account: Account, userIds: Iterable<string>): void {
  const now = Date.now();
  for (const userId of userIds) {
    const cached = profiles.value.get(userId);
    if (cached && now - cached.fetchedAt < PROFILE_REFRESH_MS) continue;
    if (inFlight.has(userId)) continue;

    inFlight.add(userId);
    getUser(userId)
      .then((profile) => rememberProfile(account, profile))
      .catch((error: unknown) => console.warn('[profiles] fetching a profile failed', { userId, error }))
      .finally(() => inFlight.delete(userId));
  }
}
