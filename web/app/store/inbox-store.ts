// Binds the store functions to one account's database in the shape the
// socket client uses, and reports every change so that views reload.
// Received events are decrypted before they are stored.

import type { InboxEvent } from '../../../protocol/frames';
import type { GroupMessage } from '../../../protocol/groups';
import type { GroupCrypto } from '../e2e/group-crypto';
import type { OpenedEvents } from '../e2e/open-events';
import type { InboxStore } from '../net/socket-io';
import { applyAck, applyInboxEvents } from './apply-events';
import { listUnsentReads, markReadSent } from './conversations';
import { readLastSeq, type FeigeDb, type ReceivedContent } from './db';
import { applyGroupAck, applyGroupPage } from './group-log';
import { getStoredGroup, listPullGroups, setGroupState, storeGroupContent } from './groups';
import { listOutbox, markSendFailed } from './outbox';

/** Decryption of received messages; web/app/e2e/end-to-end.ts implements it. */
export interface EventOpener {
  open(events: readonly InboxEvent[]): Promise<OpenedEvents>;
  /** Runs once the opened events are stored: drops their receipts and starts session repairs and key checks. */
  stored(opened: OpenedEvents): Promise<void>;
}

/** The part of the sender-key engine the store calls: opening group log entries, and a new key after a member left. */
export type GroupOpener = Pick<GroupCrypto, 'openGroupMessages' | 'groupMembersRemoved'>;

export function createInboxStore(db: FeigeDb, me: string, changed: () => void, opener: EventOpener & GroupOpener): InboxStore {
  const openings = new OpeningQueue(opener);

  return {
    lastSeq: () => readLastSeq(db),
    openAhead(events) {
      if (events.some((event) => event.kind === 'group')) return undefined;
      return { events, opening: openings.open(events) };
    },
    async applyEvents(events, ahead) {
      const opened = await (ahead?.events === events ? ahead.opening : openings.open(events));
      const result = await applyInboxEvents(db, me, events, opened.contents);
      await opener.stored(opened);
      if (result.applied > 0) changed();
      await announceRemovals(opener, me, removedMemberGroups(events));
      return result;
    },
    async applyGroupPage(page) {
      const messages = page.entries.flatMap((entry) => (entry.kind === 'message' ? [entry.message] : []));
      const opened = await openGroupE2e(opener, messages);
      const result = await applyGroupPage(db, me, page.groupId, page.entries, opened);
      if (result.applied > 0) changed();
      const removals = page.entries.some((entry) => entry.kind === 'change' && isRemoval(entry.change.type));
      if (removals) await announceRemovals(opener, me, [page.groupId]);
      return result;
    },
    async applyGroupAck(ack) {
      const result = await applyGroupAck(db, ack);
      changed();
      return result;
    },
    async pullGroups() {
      const groups = await listPullGroups(db);
      return groups.map((group) => ({ groupId: group.groupId, lastGroupSeq: group.lastGroupSeq }));
    },
    lastGroupSeq: async (groupId) => (await getStoredGroup(db, groupId))?.lastGroupSeq ?? 0,
    async setGroupState(groupId, state) {
      await setGroupState(db, groupId, state);
      changed();
    },
    storeGroupContent: (cid, content) => storeGroupContent(db, cid, content),
    async applyAck(ack) {
      const result = await applyAck(db, ack);
      changed();
      return result;
    },
    outbox: () => listOutbox(db),
    async markFailed(cid, failure) {
      await markSendFailed(db, cid, failure);
      changed();
    },
    unsentReads: () => listUnsentReads(db),
    markReadSent: (marker) => markReadSent(db, marker),
  };
}

/**
 * Decrypts batches of inbox events one after another, in the order they
 * were handed in, so that a page opened ahead never overtakes the one
 * before it. So each sender's ratchet steps forward in order, and a sender
 * key arrives before the group messages it opens. A failed opening fails
 * only its own batch.
 */
class OpeningQueue {
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly opener: EventOpener) {}

  open(events: readonly InboxEvent[]): Promise<OpenedEvents> {
    const opening = this.last.then(() => this.opener.open(events));
    // The queue goes on after a failure. The batch's caller sees the error, unless its connection dropped meanwhile.
    this.last = opening.catch(() => undefined);
    return opening;
  }
}

/**
 * Decrypts the `group_e2e` messages of a page. Only those go to the sender-key
 * engine; `text` messages of transport-encrypted groups are stored as they are.
 */
async function openGroupE2e(opener: GroupOpener, messages: readonly GroupMessage[]): Promise<Map<string, ReceivedContent>> {
  const encrypted = messages.filter((message) => message.content.type === 'group_e2e');
  if (encrypted.length === 0) return new Map();
  return opener.openGroupMessages(encrypted);
}

function isRemoval(type: string): boolean {
  return type === 'left' || type === 'kicked';
}

/** Returns the groups in which a member left or was removed, so that the next message goes out under a new sender key. */
function removedMemberGroups(events: readonly InboxEvent[]): string[] {
  const groupIds = new Set<string>();
  for (const event of events) {
    if (event.kind === 'group' && isRemoval(event.change.type)) groupIds.add(event.groupId);
  }
  return [...groupIds];
}

async function announceRemovals(opener: GroupOpener, me: string, groupIds: readonly string[]): Promise<void> {
  for (const groupId of groupIds) {
    try {
      await opener.groupMembersRemoved(groupId);
    } catch (error) {
      console.warn('[store] starting a new sender key after a removal failed', { me, groupId, error });
    }
  }
}
