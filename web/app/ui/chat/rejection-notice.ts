import type { StoredMessage } from '../../store/db';

/**
 * Returns whether the user's newest message in the conversation was rejected
 * with `not_allowed` (a block or the recipient's privacy setting). The
 * composer then shows a notice, until a later message goes through.
 */
export function rejectionNotice(messages: readonly Pick<StoredMessage, 'from' | 'status' | 'failure'>[] | null, me: string): boolean {
  if (!messages) return false;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (!message || message.from !== me) continue;
    return message.status === 'failed' && message.failure?.code === 'not_allowed';
  }
  return false;
}
