// Conversion between inbox rows in Durable Object SQLite and protocol events.
// Pure, so it can be tested without a Durable Object.

import * as z from 'zod/mini';
import { SYNC_PAGE_MAX, SYNC_PAGE_MAX_BYTES, countUtf8Bytes } from '../../protocol/limits';
import { inboxEventSchema, type ChatMessage, type InboxEvent } from '../../protocol/frames';
import { validate } from '../validation';

export type MessageEvent = Extract<InboxEvent, { kind: 'message' }>;
export type ReadEvent = Extract<InboxEvent, { kind: 'read' }>;

/** Inbox events about follows, friends and settings, which the Worker appends through `UserDO.appendEvent`. */
export type StoredRelationEvent = Extract<InboxEvent, { kind: 'follow' | 'friend' | 'settings' }>;

/** A relation event before the inbox gives it a seq and a time. */
export type RelationEvent = StoredRelationEvent extends infer E
  ? E extends StoredRelationEvent
    ? Omit<E, 'seq' | 'ts'>
    : never
  : never;

/** Group messages and group changes, which a GroupDO delivers through `UserDO.deliverGroupEvents`. */
export type StoredGroupEvent = Extract<InboxEvent, { kind: 'group.message' | 'group' }>;

/** A group event before the inbox gives it a seq and a time. */
export type GroupEvent = StoredGroupEvent extends infer E
  ? E extends StoredGroupEvent
    ? Omit<E, 'seq' | 'ts'>
    : never
  : never;

/**
 * One group event on its way to an inbox. `key` is unique per group (the
 * GroupDO's fan-out job id), so a repeated delivery is stored once.
 */
export interface GroupDelivery {
  key: string;
  event: GroupEvent;
}

/** Checks a group event against the protocol schema and returns it with its seq and time; throws if it fails. */
export function groupEventAt(event: GroupEvent, seq: number, ts: number): StoredGroupEvent {
  const result = validate(inboxEventSchema, { ...event, seq, ts });
  if (!result.ok) throw new Error(`A ${event.kind} event is invalid: ${result.message}`);

  const stored = result.value;
  if (stored.kind === 'group.message' || stored.kind === 'group') return stored;
  throw new Error(`Expected a group event, got a ${stored.kind} event.`);
}

/** Checks stored JSON against the protocol schema and returns the group event without seq and time; throws if it fails. */
export function parseGroupEvent(raw: unknown): GroupEvent {
  const fields = typeof raw === 'object' && raw !== null ? raw : {};
  const result = validate(inboxEventSchema, { ...fields, seq: 0, ts: 0 });
  if (!result.ok) throw new Error(`A stored group event is invalid: ${result.message}`);

  const stored = result.value;
  if (stored.kind === 'group.message') return { kind: stored.kind, groupId: stored.groupId, message: stored.message };
  if (stored.kind === 'group') {
    const { seq: _seq, ts: _ts, ...event } = stored;
    return event;
  }
  throw new Error(`Expected a group event, got a ${stored.kind} event.`);
}

/** One row of the `inbox` table as SQLite returns it. */
export const inboxRowSchema = z.object({
  seq: z.number(),
  ts: z.number(),
  kind: z.enum(['message', 'read', 'follow', 'friend', 'settings', 'group.message', 'group']),
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

/** Checks a relation event against the protocol schema and returns it with its seq and time; throws if it fails. */
export function relationEventAt(event: RelationEvent, seq: number, ts: number): StoredRelationEvent {
  const result = validate(inboxEventSchema, { ...event, seq, ts });
  if (!result.ok) throw new Error(`A ${event.kind} event is invalid: ${result.message}`);

  const stored = result.value;
  if (stored.kind === 'follow' || stored.kind === 'friend' || stored.kind === 'settings') return stored;
  throw new Error(`Expected a relation event, got a ${stored.kind} event.`);
}

/** Serializes a relation event for `body`: every field but `kind`, which has its own column. */
export function relationBody(event: RelationEvent): string {
  const { kind: _kind, ...fields } = event;
  return JSON.stringify(fields);
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
 * only shows that more follow. The page also ends before the event that
 * would take its JSON past `maxBytes`, but it always contains its first event,
 * so a sync makes progress whatever an event's size.
 */
export function toPage(
  events: InboxEvent[],
  pageSize: number,
  maxBytes: number = SYNC_PAGE_MAX_BYTES,
): { events: InboxEvent[]; hasMore: boolean } {
  let bytes = 0;
  let count = 0;
  while (count < Math.min(events.length, pageSize)) {
    // The comma between two events of the JSON array counts too.
    bytes += countUtf8Bytes(JSON.stringify(events[count])) + (count > 0 ? 1 : 0);
    if (bytes > maxBytes && count > 0) break;
    count++;
  }
  return { events: events.slice(0, count), hasMore: events.length > count };
}
