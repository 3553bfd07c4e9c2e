// Chat actions on local data: queueing a message, marking a conversation
// read, opening a chat by username.

import { directConversationId } from '../../../protocol/frames';
import type { ErrorDetails } from '../i18n/errors';
import { ensureConversation, markConversationRead } from '../store/conversations';
import { queueMessage } from '../store/outbox';
import { validateMessageText } from '../validation';
import { notifyChanged, type Account } from './account';
import { withUserByUsername, type UsernameFailure } from './user-by-username';

/**
 * Stores the message in the outbox, where it shows as pending at once, and
 * starts an outbox flush on the socket, which encrypts it for the peer's
 * devices (outbox-flush.ts). Returns the reason when the text breaks a limit.
 */
export async function sendText(account: Account, peerId: string, text: string): Promise<ErrorDetails | null> {
  const invalid = validateMessageText(text);
  if (invalid) return invalid;

  await queueMessage(account.db, {
    cid: crypto.randomUUID(),
    from: account.userId,
    to: peerId,
    conversationId: directConversationId(account.userId, peerId),
    content: { type: 'text', text },
    createdAt: Date.now(),
  });
  notifyChanged();
  void account.client.flushOutbox();
  return null;
}

/** Marks the conversation read here and, through the socket, on the user's other devices. */
export async function markRead(account: Account, conversationId: string): Promise<void> {
  const { changed, marker } = await markConversationRead(account.db, account.userId, conversationId);
  if (changed) notifyChanged();
  if (marker) await account.client.sendRead(marker);
}

export type OpenChatResult = { ok: true; conversationId: string } | { ok: false; error: UsernameFailure };

/** Looks a user up by username and returns the conversation id of a chat with them, creating it locally if new. */
export async function findChatByUsername(account: Account, username: string): Promise<OpenChatResult> {
  const found = await withUserByUsername(account, username, async (profile) => {
    const conversationId = directConversationId(account.userId, profile.id);
    if (await ensureConversation(account.db, conversationId, profile.id, Date.now())) notifyChanged();
    return conversationId;
  });
  return found.ok ? { ok: true, conversationId: found.value } : found;
}
