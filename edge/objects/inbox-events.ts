// Conversion between inbox rows in Durable Object SQLite and protocol events.
// Pure, so it can be tested without a Durable Object.

import * as z from 'zod/mini';
import { SYNC_PAGE_MAX } from '../../protocol/limits';
import { inboxEventSchema, type ChatMessage, type InboxEvent } from '../../protocol/frames';
import { validate } from '../validation';

export type MessageEvent = Extract<InboxEvent, { kind: 'message' }>;
export type ReadEvent = Extract<InboxEvent, { kind: 'read' }>;

/** One row of the `inbox` table as SQLite returns it. */
export const inboxRowSchema = z.object({
  seq: z.number(),
  ts: z.number(),
  kind: z.enum(['message', 'read']),
  body: z.string(),
});
export type InboxRow = z.infer<typeof inboxRowSchema>;

/** The JSON stored in `body` for a read event. */
export interface ReadBody {
  conversationId: string;
  readSeq: number;
}

export function messageBody(message: ChatMessage): string {
  return JSON.stringify(message);
}

export function readBody(body: ReadBody): string {
  return JSON.stringify(body);
}

/** Rebuilds the event of a stored row; throws if the row does not hold a valid event, which means corrupt storage. */
export function eventFromRow(raw: unknown): InboxEvent {
  const row = validate(inboxRowSchema, raw);
  if (!row.ok) throw new Error(`Inbox row is invalid: ${row.message}`);

  const { seq, ts, kind, body } = row.value;
  const fields: unknown = JSON.parse(body);
  const fieldObject = typeof fields === 'object' && fields !== null ? fields : {};
  const candidate = kind === 'message' ? { kind, seq, ts, message: fields } : { kind, seq, ts, ...fieldObject };

  const event = validate(inboxEventSchema, candidate);
  if (!event.ok) throw new Error(`Inbox row ${seq} contains an invalid ${kind} event: ${event.message}`);
  return event.value;
}

/** Returns the page size for a sync: the requested limit, or SYNC_PAGE_MAX when none was given. */
export function syncPageSize(requested: number | undefined): number {
  return Math.min(requested ?? SYNC_PAGE_MAX, SYNC_PAGE_MAX);
}

/**
 * Cuts events read with a limit of `pageSize + 1` to one page. The extra event
 * only shows that more follow.
 */
export function toPage(events: InboxEvent[], pageSize: number): { events: InboxEvent[]; hasMore: boolean } {
  return { events: events.slice(0, pageSize), hasMore: events.length > pageSize };
}
