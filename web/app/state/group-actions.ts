// Group chat actions on local data: queueing a message to a group and
// reading a group's new log entries.

import type { ErrorDetails } from '../i18n/errors';
import { getStoredGroup, queueGroupMessage } from '../store/groups';
import { validateMessageText } from '../validation';
import { notifyChanged, type Account } from './account';
import { loadGroupInfo } from './group-info';

/**
 * Stores the message in the outbox, where it shows as pending at once, and
 * starts an outbox flush. It is refused locally when the text breaks a limit,
 * the user is no longer a member, or the group's encryption is still unknown
 * because its GroupInfo was never fetched.
 */
export async function sendGroupText(account: Account, groupId: string, text: string): Promise<ErrorDetails | null> {
  const invalid = validateMessageText(text);
  if (invalid) return invalid;

  const stored = await getStoredGroup(account.db, groupId);
  if (stored && stored.state !== 'member') return { code: stored.state === 'dissolved' ? 'not_found' : 'not_a_member' };

  const info = stored?.info ?? (await loadGroupInfo(account, groupId));
  if (!info) return { code: 'network' };

  await queueGroupMessage(account.db, {
    cid: crypto.randomUUID(),
    from: account.userId,
    groupId,
    text,
    encryption: info.encryption,
    createdAt: Date.now(),
  });
  notifyChanged();
  void account.client.flushOutbox();
  return null;
}

/** Reads the group's new entries over the socket; for `pull` groups, which get nothing pushed. */
export async function syncGroup(account: Account, groupId: string): Promise<void> {
  const stored = await getStoredGroup(account.db, groupId);
  if (stored?.state !== 'member' || stored.delivery !== 'pull') return;
  await account.client.syncGroup(groupId);
}
