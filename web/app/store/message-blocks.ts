// Writes the received messages of one inbox transaction. Each record
// written to Chromium's IndexedDB cost a catch-up about 75 µs: 10,000
// messages took 2.1 s into IndexedDB one record each, and 1.3 s with one
// record per sync page. So a conversation that receives many
// messages in one transaction stores them as blocks (db.ts,
// StoredMessageBlock), and timeline.ts reads both forms.

import type { StoredMessage, StoredMessageBlock } from './db';
import type { RequestQueue } from './page-writes';
import type { InboxTx } from './transactions';

/**
 * Smallest count of one conversation's received messages in one transaction
 * that is stored as blocks. Fewer are stored one record each, as live
 * messages are.
 */
export const MESSAGE_BLOCK_MIN = 16;

/** Largest count of messages in a block, so that opening a chat reads one or two blocks, not a sync page of up to 1,000. */
export const MESSAGE_BLOCK_MAX = 100;

/**
 * Collects the received messages of one transaction and writes them on
 * flush(). A message may go into a block only when it is final: sent by
 * someone else, with content that no later event replaces, and not stored
 * before as a record.
 */
export class ReceivedMessageWrites {
  private readonly byConversation = new Map<string, StoredMessage[]>();

  constructor(
    private readonly tx: InboxTx,
    private readonly requests: RequestQueue,
  ) {}

  add(message: StoredMessage): void {
    const messages = this.byConversation.get(message.conversationId);
    if (messages) messages.push(message);
    else this.byConversation.set(message.conversationId, [message]);
  }

  /** Issues the writes of what was added: blocks for a conversation with MESSAGE_BLOCK_MIN or more, records otherwise. */
  flush(): void {
    for (const messages of this.byConversation.values()) {
      if (messages.length < MESSAGE_BLOCK_MIN) {
        for (const message of messages) this.requests.add(this.tx.objectStore('messages').put(message));
        continue;
      }
      for (let start = 0; start < messages.length; start += MESSAGE_BLOCK_MAX) {
        const block = blockOf(messages.slice(start, start + MESSAGE_BLOCK_MAX));
        this.requests.add(this.tx.objectStore('messageBlocks').put(block));
      }
    }
    this.byConversation.clear();
  }
}

/** Builds the block of `messages`: one conversation's, in seq order, each with a seq. */
export function blockOf(messages: readonly StoredMessage[]): StoredMessageBlock {
  const first = messages[0]!;
  let firstTs = first.ts;
  let lastTs = first.ts;
  for (const message of messages) {
    firstTs = Math.min(firstTs, message.ts);
    lastTs = Math.max(lastTs, message.ts);
  }

  return {
    conversationId: first.conversationId,
    firstSeq: first.seq!,
    lastSeq: messages[messages.length - 1]!.seq!,
    firstTs,
    lastTs,
    messages: [...messages],
  };
}
