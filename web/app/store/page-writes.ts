// Helpers for the writes of one transaction of inbox events: the
// conversations the events change, written once per flush, the page's
// messages that are stored already, found with one request per
// conversation, and requests issued without an await each.

import type { InboxEvent } from '../../../protocol/frames';
import type { StoredConversation } from './db';
import { newConversation } from './records';
import type { InboxTx } from './transactions';

/**
 * The conversations that the message events of one transaction change,
 * written once per flush: a sync page of many messages in one conversation
 * writes its record once, not twice per message.
 */
export class ConversationWrites {
  private readonly changed = new Map<string, StoredConversation>();

  constructor(private readonly tx: InboxTx) {}

  /** Returns the conversation to change in place; flush writes it. */
  async get(conversationId: string, peerId: string): Promise<StoredConversation> {
    const cached = this.changed.get(conversationId);
    if (cached) return cached;

    const stored = await this.tx.objectStore('conversations').get(conversationId);
    const conversation = stored ?? newConversation(conversationId, peerId);
    this.changed.set(conversationId, conversation);
    return conversation;
  }

  async flush(): Promise<void> {
    const conversations = this.tx.objectStore('conversations');
    for (const conversation of this.changed.values()) await conversations.put(conversation);
    this.changed.clear();
  }
}

/**
 * Returns the keys of the page's message events that the `messages` store
 * already contains. A message is stored under its event's seq, so one
 * `getAllKeys` on the seq index per conversation finds them, in place of a
 * `get` per message.
 */
export async function storedMessageKeys(tx: InboxTx, events: readonly InboxEvent[]): Promise<Set<string>> {
  const seqRanges = new Map<string, { first: number; last: number }>();
  for (const event of events) {
    if (event.kind !== 'message') continue;

    const conversationId = event.message.conversationId;
    const range = seqRanges.get(conversationId);
    if (range) {
      range.first = Math.min(range.first, event.seq);
      range.last = Math.max(range.last, event.seq);
    } else {
      seqRanges.set(conversationId, { first: event.seq, last: event.seq });
    }
  }

  const index = tx.objectStore('messages').index('by-conversation-seq');
  const keyLists = await Promise.all(
    [...seqRanges].map(([conversationId, { first, last }]) =>
      index.getAllKeys(IDBKeyRange.bound([conversationId, first], [conversationId, last])),
    ),
  );
  return new Set(keyLists.flat());
}

/**
 * Requests issued without an `await` each, so IndexedDB receives them in one
 * go instead of one per round trip. They still run in the order issued, and
 * a failed one aborts the transaction; settle() rejects with its error.
 */
export class RequestQueue {
  private readonly requests: Promise<unknown>[] = [];

  add(request: Promise<unknown>): void {
    // Marks the rejection as handled until settle() reports it, so a failure seen first elsewhere raises no unhandled rejection.
    request.catch(() => undefined);
    this.requests.push(request);
  }

  async settle(): Promise<void> {
    await Promise.all(this.requests);
  }
}
