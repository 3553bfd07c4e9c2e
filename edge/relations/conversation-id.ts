import { directConversationId } from '../../protocol/frames';

/**
 * Returns the other user of a 1:1 conversation id that includes `userId`
 * (`userId` itself for the note-to-self conversation), or undefined for any
 * other id.
 */
export function peerInConversation(conversationId: string, userId: string): string | undefined {
  const match = /^d:([^:]+):([^:]+)$/.exec(conversationId);
  if (!match) return undefined;

  const [, first, second] = match;
  if (!first || !second || directConversationId(first, second) !== conversationId) return undefined;
  if (first === userId) return second;
  if (second === userId) return first;
  return undefined;
}
