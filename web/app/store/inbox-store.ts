// Binds the store functions to one account's database in the shape the
// socket client uses, and reports every change so that views reload.

import type { InboxStore } from '../net/socket-io';
import { applyAck, applyInboxEvents } from './apply-events';
import { listUnsentReads, markReadSent } from './conversations';
import { readLastSeq, type FeigeDb } from './db';
import { listOutbox, markSendFailed } from './outbox';

export function createInboxStore(db: FeigeDb, me: string, changed: () => void): InboxStore {
  return {
    lastSeq: () => readLastSeq(db),
    async applyEvents(events) {
      const result = await applyInboxEvents(db, me, events);
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
