// Actions that join a server profile with local data: opening a chat from a
// profile and keeping the profile cache current.

import type { PublicProfile, UserProfileView } from '../../../protocol/api';
import { directConversationId } from '../../../protocol/frames';
import { ensureConversation } from '../store/conversations';
import { notifyChanged, type Account } from './account';
import { rememberProfile } from './profiles';

/** Returns the cacheable part of a profile view, without the viewer's counts and relation flags. */
export function publicPartOf(view: UserProfileView): PublicProfile {
  const profile: PublicProfile = { id: view.id, username: view.username, displayName: view.displayName, bio: view.bio };
  if (view.gender !== undefined) profile.gender = view.gender;
  if (view.region !== undefined) profile.region = view.region;
  if (view.avatarUrl !== undefined) profile.avatarUrl = view.avatarUrl;
  return profile;
}

/** Caches the profile, creates the conversation locally if new, and returns its id. */
export async function openChatWith(account: Account, view: UserProfileView): Promise<string> {
  await rememberProfile(account, publicPartOf(view));
  const conversationId = directConversationId(account.userId, view.id);
  if (await ensureConversation(account.db, conversationId, view.id, Date.now())) notifyChanged();
  return conversationId;
}
