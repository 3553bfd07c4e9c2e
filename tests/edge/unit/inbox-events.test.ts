import { describe, expect, it } from 'vitest';
import { eventFromRow, messageBody, readBody, syncPageSize, toPage } from '../../../edge/objects/inbox-events';
import type { ChatMessage, InboxEvent } from '../../../protocol/frames';
import { SYNC_PAGE_MAX, SYNC_PAGE_MAX_BYTES, TEXT_MAX_BYTES, countUtf8Bytes } from '../../../protocol/limits';

const message: ChatMessage = {
  id: 'm1',
  conversationId: 'd:a:b',
  from: 'a',
  to: 'b',
  cid: 'cid-12345678',
  content: { type: 'text', text: 'hello' },
  ts: 1_700_000_000_000,
};

function readEvents(count: number): InboxEvent[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'read', seq: i + 1, ts: 0, conversationId: 'c', readSeq: 0 }));
}

/** UTF-8 bytes of the JSON array of `events`, as the page frame carries them. */
function arrayBytes(events: InboxEvent[]): number {
  return countUtf8Bytes(JSON.stringify(events)) - 2;
}

describe('inbox events', () => {
  it('message row becomes a message event', () => {
    const row = { seq: 4, ts: 1_700_000_000_100, kind: 'message', body: messageBody(message) };
    expect(eventFromRow(row)).toEqual({ kind: 'message', seq: 4, ts: 1_700_000_000_100, message });
  });

  it('read row becomes a read event', () => {
    const row = { seq: 5, ts: 9, kind: 'read', body: readBody({ conversationId: 'd:a:b', readSeq: 4 }) };
    expect(eventFromRow(row)).toEqual({ kind: 'read', seq: 5, ts: 9, conversationId: 'd:a:b', readSeq: 4 });
  });

  it('corrupt row throws naming the seq', () => {
    const row = { seq: 6, ts: 9, kind: 'read', body: '{"conversationId": 3}' };
    expect(() => eventFromRow(row)).toThrow(/row 6/);
  });

  it('row of unknown kind throws', () => {
    expect(() => eventFromRow({ seq: 7, ts: 9, kind: 'reaction', body: '{}' })).toThrow(/kind/);
  });

  it('page size defaults to the cap', () => {
    expect(syncPageSize(undefined)).toBe(SYNC_PAGE_MAX);
    expect(syncPageSize(5)).toBe(5);
    expect(syncPageSize(SYNC_PAGE_MAX + 1)).toBe(SYNC_PAGE_MAX);
  });

  it('extra row only sets hasMore', () => {
    const events: InboxEvent[] = [1, 2, 3].map((seq) => ({ kind: 'read', seq, ts: 0, conversationId: 'c', readSeq: 0 }));
    expect(toPage(events, 2)).toEqual({ events: events.slice(0, 2), hasMore: true });
    expect(toPage(events.slice(0, 2), 2)).toEqual({ events: events.slice(0, 2), hasMore: false });
  });

  it('byte bound at edge keeps event', () => {
    const events = readEvents(4);
    const page = toPage(events, 10, arrayBytes(events.slice(0, 2)));
    expect(page.events).toEqual(events.slice(0, 2));
    expect(page.hasMore).toBe(true);
  });

  it('byte bound one past edge cuts', () => {
    const events = readEvents(4);
    const page = toPage(events, 10, arrayBytes(events.slice(0, 2)) - 1);
    expect(page.events).toEqual(events.slice(0, 1));
    expect(page.hasMore).toBe(true);
  });

  it('oversized first event still sent', () => {
    const events = readEvents(2);
    const page = toPage(events, 10, 1);
    expect(page.events).toEqual(events.slice(0, 1));
    expect(page.hasMore).toBe(true);
  });

  it('default byte bound fits websocket limit', () => {
    const text = 'x'.repeat(TEXT_MAX_BYTES);
    const events: InboxEvent[] = Array.from({ length: SYNC_PAGE_MAX + 1 }, (_, i) => ({
      kind: 'message',
      seq: i + 1,
      ts: 0,
      message: { ...message, id: `m${i}`, content: { type: 'text', text } },
    }));

    const page = toPage(events, SYNC_PAGE_MAX);

    expect(page.hasMore).toBe(true);
    expect(page.events.length).toBeLessThan(SYNC_PAGE_MAX);
    expect(arrayBytes(page.events)).toBeLessThanOrEqual(SYNC_PAGE_MAX_BYTES);
    expect(arrayBytes(events.slice(0, page.events.length + 1))).toBeGreaterThan(SYNC_PAGE_MAX_BYTES);
    const frame = JSON.stringify({ type: 'sync.page', events: page.events, hasMore: true, headSeq: SYNC_PAGE_MAX + 1 });
    expect(countUtf8Bytes(frame)).toBeLessThanOrEqual(1024 * 1024);
  });
});
