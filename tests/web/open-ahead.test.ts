// Sync pages that decrypt while the page before them is stored: the store's
// opening queue keeps the inbox order, and the socket client opens a page
// ahead only when no page before it is still waiting to be opened.

import { describe, expect, test } from 'vitest';
import type { InboxEvent, ServerSyncPageFrame } from '../../protocol/frames';
import type { OpenedEvents } from '../../web/app/e2e/open-events';
import type { Connection } from '../../web/app/net/connection';
import { InboxSync } from '../../web/app/net/inbox-sync';
import type { InboxStore, OpenedAhead } from '../../web/app/net/socket-io';
import { readLastSeq } from '../../web/app/store/db';
import { createInboxStore, type EventOpener, type GroupOpener } from '../../web/app/store/inbox-store';
import { groupChangeEvent } from './group-helpers';
import { BOB, drain, messageEvent, openFreshDb, until } from './helpers';

/** A step that the test lets finish when it chooses. */
class Gate {
  readonly passed: Promise<void>;
  open: () => void = () => {};

  constructor() {
    this.passed = new Promise<void>((resolve) => (this.open = resolve));
  }
}

/**
 * An opener that records the order of its calls and gives every message the
 * text "opened <id>". A batch whose first seq has a gate waits for it,
 * in open or in stored.
 */
class RecordingOpener implements EventOpener, GroupOpener {
  readonly calls: string[] = [];
  readonly openGates = new Map<number, Gate>();
  readonly storedGates = new Map<number, Gate>();
  readonly failures = new Map<number, Error>();

  async open(events: readonly InboxEvent[]): Promise<OpenedEvents> {
    const first = events[0]?.seq ?? 0;
    this.calls.push(`open ${first}`);
    await this.openGates.get(first)?.passed;
    this.calls.push(`opened ${first}`);
    const failure = this.failures.get(first);
    if (failure) throw failure;

    const contents = new Map<string, { type: 'text'; text: string }>();
    for (const event of events) {
      if (event.kind === 'message') contents.set(event.message.id, { type: 'text', text: `opened ${event.message.id}` });
    }
    return { contents, receiptKeys: [], broken: [], seen: [] };
  }

  async stored(opened: OpenedEvents): Promise<void> {
    const first = Math.min(...[...opened.contents.keys()].map((id) => Number(id.split('-').at(-1))));
    await this.storedGates.get(first)?.passed;
    this.calls.push(`stored ${first}`);
  }

  async openGroupMessages(): Promise<Map<string, never>> {
    return new Map<string, never>();
  }

  async groupMembersRemoved(): Promise<void> {}
}

function pageOf(first: number, count: number, userId: string): InboxEvent[] {
  return Array.from({ length: count }, (_, index) => messageEvent(first + index, { from: BOB, to: userId }));
}

async function freshStore() {
  const { db, userId } = await openFreshDb();
  const opener = new RecordingOpener();
  const store = createInboxStore(db, userId, () => undefined, opener);
  return { db, userId, opener, store };
}

describe('a sync page opened ahead', () => {
  test('decrypts while the previous page stores', async () => {
    const { db, userId, opener, store } = await freshStore();
    const first = pageOf(1, 3, userId);
    const second = pageOf(4, 3, userId);
    const firstStored = new Gate();
    opener.storedGates.set(1, firstStored);

    const applyingFirst = store.applyEvents(first);
    await until('first page decrypted', () => opener.calls.includes('opened 1'));
    const ahead = store.openAhead!(second)!;
    await until('second page decrypted', () => opener.calls.includes('opened 4'));

    expect(opener.calls).not.toContain('stored 1');
    firstStored.open();
    await applyingFirst;
    const { lastSeq } = await store.applyEvents(second, ahead);

    expect(lastSeq).toBe(6);
    expect(opener.calls.filter((call) => call === 'open 4')).toHaveLength(1);
    expect((await db.get('messages', `m-${BOB}-6`))?.content).toEqual({ type: 'text', text: `opened m-${BOB}-6` });
  });

  test('decrypts in inbox order', async () => {
    const { userId, opener, store } = await freshStore();
    const firstOpened = new Gate();
    opener.openGates.set(1, firstOpened);

    const applyingFirst = store.applyEvents(pageOf(1, 2, userId));
    const ahead = store.openAhead!(pageOf(3, 2, userId))!;
    await drain();

    expect(opener.calls).toEqual(['open 1']);
    firstOpened.open();
    await applyingFirst;
    await store.applyEvents(ahead.events, ahead);
    expect(opener.calls.indexOf('open 3')).toBeGreaterThan(opener.calls.indexOf('opened 1'));
    expect(opener.calls.filter((call) => call.startsWith('stored'))).toEqual(['stored 1', 'stored 3']);
  });

  test('failure fails only its own page', async () => {
    const { db, userId, opener, store } = await freshStore();
    await store.applyEvents(pageOf(1, 2, userId));
    opener.failures.set(3, new Error('the session store is gone'));

    const failed = store.openAhead!(pageOf(3, 2, userId))!;
    const next = store.openAhead!(pageOf(5, 1, userId))!;

    await expect(store.applyEvents(failed.events, failed)).rejects.toThrow('the session store is gone');
    expect(await readLastSeq(db)).toBe(2);
    await next.opening;
    expect(opener.calls).toContain('opened 5');
  });

  test('page with a group change waits', async () => {
    const { userId, store } = await freshStore();
    const page = [...pageOf(1, 1, userId), groupChangeEvent(2, { type: 'left', userId: BOB })];

    expect(store.openAhead!(page)).toBeUndefined();
  });
});

/** Returns an inbox store that records which pages were opened ahead and stores nothing. */
function recordingStore(): { store: InboxStore; openedAhead: number[]; applied: Array<{ first: number; ahead: boolean }> } {
  const openedAhead: number[] = [];
  const applied: Array<{ first: number; ahead: boolean }> = [];
  const store = {
    openAhead(events: readonly InboxEvent[]): OpenedAhead | undefined {
      if (events.some((event) => event.kind === 'group')) return undefined;
      openedAhead.push(events[0]!.seq);
      return { events, opening: Promise.resolve({ contents: new Map(), receiptKeys: [], broken: [], seen: [] }) };
    },
    async applyEvents(events: readonly InboxEvent[], ahead?: OpenedAhead) {
      applied.push({ first: events[0]!.seq, ahead: ahead !== undefined });
      return { lastSeq: events.at(-1)!.seq };
    },
    unsentReads: async () => [],
  } as unknown as InboxStore;
  return { store, openedAhead, applied };
}

function syncPage(events: InboxEvent[], headSeq: number): ServerSyncPageFrame {
  return { type: 'sync.page', events, hasMore: events.at(-1)!.seq < headSeq, headSeq };
}

describe('the socket client opening pages ahead', () => {
  const connection = () => ({ lastSeq: 0, syncInFlight: true, resyncNeeded: false, caughtUp: false }) as unknown as Connection;

  function inboxSync(store: InboxStore): InboxSync {
    return new InboxSync({
      store,
      send: () => undefined,
      isCurrent: () => true,
      caughtUp: () => undefined,
      retrySends: () => undefined,
      devicesChanged: async () => undefined,
      resendNow: () => undefined,
      deviceMissing: () => undefined,
    });
  }

  test('passes the early opening on', async () => {
    const { store, openedAhead, applied } = recordingStore();
    const sync = inboxSync(store);
    const link = connection();
    const first = syncPage(pageOf(1, 2, 'me'), 4);
    const second = syncPage(pageOf(3, 2, 'me'), 4);

    sync.pageArrived(link, first);
    sync.pageArrived(link, second);
    expect(openedAhead).toEqual([1, 3]);

    await sync.applyPage(link, first);
    await sync.applyPage(link, second);
    expect(applied).toEqual([
      { first: 1, ahead: true },
      { first: 3, ahead: true },
    ]);
  });

  test('group change holds back later pages', async () => {
    const { store, openedAhead, applied } = recordingStore();
    const sync = inboxSync(store);
    const link = connection();
    const withChange = syncPage([...pageOf(1, 1, 'me'), groupChangeEvent(2, { type: 'left', userId: BOB })], 6);
    const afterChange = syncPage(pageOf(3, 2, 'me'), 6);
    const later = syncPage(pageOf(5, 2, 'me'), 6);

    sync.pageArrived(link, withChange);
    sync.pageArrived(link, afterChange);
    expect(openedAhead).toEqual([]);

    await sync.applyPage(link, withChange);
    await sync.applyPage(link, afterChange);
    sync.pageArrived(link, later);
    await sync.applyPage(link, later);

    expect(openedAhead).toEqual([5]);
    expect(applied).toEqual([
      { first: 1, ahead: false },
      { first: 3, ahead: false },
      { first: 5, ahead: true },
    ]);
  });
});
