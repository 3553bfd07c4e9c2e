// Binds the store functions to one account's database in the shape the
// socket client uses, and reports every change so that views reload.
// Received events are decrypted before they are stored.

import type { InboxEvent } from '../../../protocol/frames';
import type { OpenedEvents } from '../e2e/open-events';
import type { InboxStore } from '../net/socket-io';
import { applyAck, applyInboxEvents } from './apply-events';
import { listUnsentReads, markReadSent } from './conversations';
import { readLastSeq, type FeigeDb } from './db';
import { listOutbox, markSendFailed } from './outbox';

/** Decryption of received messages; web/app/e2e/end-to-end.ts implements it. */
export interface EventOpener {
  open(events: readonly InboxEvent[]): Promise<OpenedEvents>;
  /** Runs once the opened events are stored: drops their receipts and starts session repairs and key checks. */
  stored(opened: OpenedEvents): Promise<void>;
}

export function createInboxStore(db: FeigeDb, me: string, changed: () => void, opener: EventOpener): InboxStore {
  return {
    lastSeq: () => readLastSeq(db),
    async applyEvents(events) {
      const opened = await opener.open(events);
      const result = await applyInboxEvents(db, me, events, opened.contents);
      await opener.stored(opened);
      if (result.applied > 0) changed();
      return result;
    },
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
