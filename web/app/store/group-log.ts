// Applies what the socket receives for groups outside the inbox: `group.page`
// entries read with `group.sync`, and `group.ack` for an own message. Each
// call runs in one transaction with the group's lastGroupSeq, so an entry is
// stored once and the log is read on from where the last page ended.

import type { ServerGroupAckFrame } from '../../../protocol/frames';
import type { GroupDelivery, GroupLogEntry } from '../../../protocol/groups';
import type { FeigeDb } from './db';
import { storeGroupChange, storeGroupMessage, loadGroup, type OpenedGroupContents } from './group-events';
import { groupConversationId } from './group-records';
import { updatePreview } from './records';
import { INBOX_STORES, runAtomically, type InboxTx } from './transactions';

export interface GroupPageResult {
  groupId: string;
  lastGroupSeq: number;
  applied: number;
}

export interface GroupAckResult {
  groupId: string;
  /** Entries before the acked message are not stored yet. */
  behind: boolean;
  /** Only a `pull` group catches up with `group.sync`; an `inbox` group's entries are on their way to the inbox. */
  delivery: GroupDelivery | null;
}

/** Stores the entries after the group's lastGroupSeq in group order and moves lastGroupSeq to the last one. */
export async function applyGroupPage(
  db: FeigeDb,
  me: string,
  groupId: string,
  entries: readonly GroupLogEntry[],
  opened: OpenedGroupContents = new Map(),
): Promise<GroupPageResult> {
  const tx: InboxTx = db.transaction([...INBOX_STORES], 'readwrite');

  return runAtomically(tx, async () => {
    const group = await loadGroup(tx, groupId);
    const ordered = [...entries].sort((a, b) => a.groupSeq - b.groupSeq);
    let applied = 0;

    for (const entry of ordered) {
      if (entry.groupSeq <= group.lastGroupSeq) continue;

      if (entry.kind === 'message') await storeGroupMessage(tx, me, entry.message, opened, undefined);
      else await storeGroupChange(tx, me, group, { groupSeq: entry.groupSeq, ts: entry.ts, change: entry.change, inboxSeq: undefined });
      group.lastGroupSeq = entry.groupSeq;
      applied++;
    }

    if (applied > 0) await tx.objectStore('groups').put(group);
    return { groupId, lastGroupSeq: group.lastGroupSeq, applied };
  });
}

/**
 * Replaces the pending copy of an own group message with the stored one and
 * removes it from the outbox. lastGroupSeq moves only when the ack's
 * groupSeq is the next one, so no earlier entry is skipped.
 */
export async function applyGroupAck(db: FeigeDb, ack: ServerGroupAckFrame): Promise<GroupAckResult> {
  const tx: InboxTx = db.transaction([...INBOX_STORES], 'readwrite');

  return runAtomically(tx, async () => {
    const outbox = tx.objectStore('outbox');
    const outboxKey = await outbox.index('by-cid').getKey(ack.cid);
    if (outboxKey !== undefined) await outbox.delete(outboxKey);

    const messages = tx.objectStore('messages');
    const pending = await messages.get(ack.cid);
    const stored = await messages.get(ack.messageId);
    if (pending && !stored) {
      await messages.delete(ack.cid);
      const sent = { ...pending, key: ack.messageId, id: ack.messageId, ts: ack.ts, groupSeq: ack.groupSeq, status: 'sent' as const };
      delete sent.failure;
      await messages.put(sent);

      const conversations = tx.objectStore('conversations');
      const conversation = await conversations.get(groupConversationId(ack.groupId));
      if (conversation) {
        updatePreview(conversation, sent, 'sent');
        await conversations.put(conversation);
      }
    }

    const group = await loadGroup(tx, ack.groupId);
    if (ack.groupSeq === group.lastGroupSeq + 1) {
      group.lastGroupSeq = ack.groupSeq;
      await tx.objectStore('groups').put(group);
    }
    return { groupId: ack.groupId, behind: ack.groupSeq > group.lastGroupSeq, delivery: group.delivery };
  });
}
