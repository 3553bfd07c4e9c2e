import { directConversationId } from '../../protocol/frames';
import type { Database } from '../db/client';
import { readMessageRelation } from '../db/relations';
import type { RecipientCheck } from '../objects/send-message';
import { decideMessage } from './rules';

/** Decides a message from `senderId` to another user with one D1 read; the sender's UserDO calls it before storing anything. */
export async function checkRecipient(db: Database, senderId: string, recipientId: string): Promise<RecipientCheck> {
  const conversationId = directConversationId(senderId, recipientId);
  const relation = await readMessageRelation(db, senderId, recipientId, conversationId);
  if (!relation) return 'not_found';

  const decision = decideMessage(relation);
  switch (decision) {
    case 'deliver':
      return 'deliver';
    case 'ack_only':
      return 'ack_only';
    case 'reject':
      return 'not_allowed';
    default: {
      const unreachable: never = decision;
      throw new Error(`Unknown message decision ${String(unreachable)}`);
    }
  }
}
