import { describe, expect, it } from 'vitest';
import { eventFromRow, messageBody, readBody, syncPageSize, toPage } from '../../../edge/objects/inbox-events';
import type { ChatMessage, InboxEvent } from '../../../protocol/frames';
import { SYNC_PAGE_MAX } from '../../../protocol/limits';

const message: ChatMessage = {
  id: 'm1',
  conversationId: 'd:a:b',
  from: 'a',
  to: 'b',
  cid: 'cid-12345678',
  content: { type: 'text', text: 'hello' },
  ts: 1_700_000_000_000,
};

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
});
