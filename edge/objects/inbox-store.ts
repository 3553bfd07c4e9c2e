// The user's inbox in Durable Object SQLite. Every call is synchronous, so a
// read followed by a write inside one call cannot interleave with other events
// of the object.

import type { ChatMessage, InboxEvent } from '../../protocol/frames';
import {
  eventFromRow,
  groupEventAt,
  messageBody,
  readBody,
  relationBody,
  relationEventAt,
  toPage,
  type GroupDelivery,
  type MessageEvent,
  type ReadBody,
  type ReadEvent,
  type RelationEvent,
  type StoredGroupEvent,
  type StoredRelationEvent,
} from './inbox-events';

/**
 * AUTOINCREMENT makes `seq` strictly increasing and never reused, even if rows
 * are deleted later. The unique (sender, cid) index makes storing a message
 * idempotent per sending user. Read events leave both columns NULL, which the
 * index allows any number of times because SQLite treats NULLs as distinct.
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    sender TEXT,
    cid TEXT,
    body TEXT NOT NULL
  )`,
  'CREATE UNIQUE INDEX IF NOT EXISTS inbox_sender_cid ON inbox (sender, cid)',
];

export class InboxStore {
  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  /** Returns the newest seq, or 0 for an empty inbox. */
  headSeq(): number {
    const row = this.sql.exec<{ head: number }>('SELECT COALESCE(MAX(seq), 0) AS head FROM inbox').one();
    return row.head;
  }

  /**
   * Returns the stored messages that `sender` sent with any of `cids`, keyed
   * by cid. One query for a whole batch of sends in place of one per send.
   */
  findMessages(sender: string, cids: readonly string[]): Map<string, MessageEvent> {
    const found = new Map<string, MessageEvent>();
    if (cids.length === 0) return found;

    const rows = this.sql
      .exec(
        "SELECT seq, ts, kind, body, cid FROM inbox WHERE kind = 'message' AND sender = ? AND cid IN (SELECT value FROM json_each(?))",
        sender,
        JSON.stringify(cids),
      )
      .toArray();
    for (const row of rows) {
      const event = asMessageEvent(eventFromRow(row));
      found.set(event.message.cid, event);
    }
    return found;
  }

  /**
   * Appends a message in one statement unless this inbox already stores one
   * from the same sender with the same cid. Returns the new event, or
   * undefined for a repeat.
   */
  appendMessageOnce(message: ChatMessage, ts: number): MessageEvent | undefined {
    const rows = this.sql
      .exec<{ seq: number }>(
        "INSERT INTO inbox (ts, kind, sender, cid, body) VALUES (?, 'message', ?, ?, ?) ON CONFLICT DO NOTHING RETURNING seq",
        ts,
        message.from,
        message.cid,
        messageBody(message),
      )
      .toArray();
    if (rows.length === 0) return undefined;
    return { kind: 'message', seq: rows[0].seq, ts, message };
  }

  appendMessage(message: ChatMessage, ts: number): MessageEvent {
    const row = this.sql
      .exec<{ seq: number }>(
        "INSERT INTO inbox (ts, kind, sender, cid, body) VALUES (?, 'message', ?, ?, ?) RETURNING seq",
        ts,
        message.from,
        message.cid,
        messageBody(message),
      )
      .one();
    return { kind: 'message', seq: row.seq, ts, message };
  }

  appendRead(read: ReadBody, ts: number): ReadEvent {
    const row = this.sql
      .exec<{ seq: number }>(
        "INSERT INTO inbox (ts, kind, body) VALUES (?, 'read', ?) RETURNING seq",
        ts,
        readBody(read),
      )
      .one();
    return { kind: 'read', seq: row.seq, ts, ...read };
  }

  /**
   * Appends a follow, friend or settings event. It is checked against the
   * protocol schema first, so an invalid event throws here and is never
   * stored to break later syncs.
   */
  appendRelationEvent(event: RelationEvent, ts: number): StoredRelationEvent {
    relationEventAt(event, 0, ts);
    const row = this.sql
      .exec<{ seq: number }>('INSERT INTO inbox (ts, kind, body) VALUES (?, ?, ?) RETURNING seq', ts, event.kind, relationBody(event))
      .one();
    return relationEventAt(event, row.seq, ts);
  }

  /**
   * Appends group events in order, skipping any whose (group, key) this inbox
   * already stores, and returns the ones appended. The group id goes in the
   * `sender` column as `group:<id>`, which no user id can equal.
   */
  appendGroupEvents(groupId: string, deliveries: readonly GroupDelivery[], ts: number): StoredGroupEvent[] {
    const sender = `group:${groupId}`;
    const appended: StoredGroupEvent[] = [];
    for (const { key, event } of deliveries) {
      groupEventAt(event, 0, ts);
      const { kind, ...fields } = event;
      const rows = this.sql
        .exec<{ seq: number }>(
          'INSERT INTO inbox (ts, kind, sender, cid, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING seq',
          ts,
          kind,
          sender,
          key,
          JSON.stringify(fields),
        )
        .toArray();
      if (rows.length > 0) appended.push(groupEventAt(event, rows[0].seq, ts));
    }
    return appended;
  }

  /** Events with seq > `after` in seq order, at most `pageSize` of them. */
  readPage(after: number, pageSize: number): { events: InboxEvent[]; hasMore: boolean } {
    const rows = this.sql
      .exec('SELECT seq, ts, kind, body FROM inbox WHERE seq > ? ORDER BY seq LIMIT ?', after, pageSize + 1)
      .toArray();
    return toPage(rows.map(eventFromRow), pageSize);
  }
}

function asMessageEvent(event: InboxEvent): MessageEvent {
  if (event.kind !== 'message') throw new Error(`Inbox row ${event.seq} was expected to be a message.`);
  return event;
}
