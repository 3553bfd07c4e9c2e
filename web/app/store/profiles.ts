// Cached public profiles, so names show in the list and chats while offline.

import type { PublicProfile } from '../../../protocol/api';
import type { CachedProfile, FeigeDb } from './db';

export async function cacheProfile(db: FeigeDb, profile: PublicProfile, fetchedAt: number): Promise<CachedProfile> {
  const cached: CachedProfile = { ...profile, usernameKey: profile.username.toLowerCase(), fetchedAt };
  await db.put('profiles', cached);
  return cached;
}

export async function listCachedProfiles(db: FeigeDb): Promise<CachedProfile[]> {
  return db.getAll('profiles');
}

export async function findCachedProfileByUsername(db: FeigeDb, username: string): Promise<CachedProfile | undefined> {
  return db.getFromIndex('profiles', 'by-username', username.toLowerCase());
}
