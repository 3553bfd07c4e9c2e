// The ordered log of one group in GroupDO SQLite: messages and the changes
// every member may see. `group_seq` is the group order (delivery rule R4).

import * as z from 'zod/mini';
import {
  groupLogEntrySchema,
  type GroupChange,
  type GroupLogEntry,
  type GroupMessage,
} from '../../protocol/groups';
import { validate } from '../validation';

/**
 * AUTOINCREMENT keeps `group_seq` strictly increasing and never reused. The
 * unique (sender, cid) index makes a resend of a message store nothing.
 * Changes leave both columns NULL, which the index allows any number of times.
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS log (
    group_seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    sender TEXT,
    cid TEXT,
    body TEXT NOT NULL
  )`,
  'CREATE UNIQUE INDEX IF NOT EXISTS log_sender_cid ON log (sender, cid)',
];

const logRowSchema = z.object({
  group_seq: z.number(),
  ts: z.number(),
  kind: z.enum(['message', 'change']),
  body: z.string(),
});

export type MessageEntry = Extract<GroupLogEntry, { kind: 'message' }>;

export class GroupLog {
  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  headSeq(): number {
    return this.sql.exec<{ head: number }>('SELECT COALESCE(MAX(group_seq), 0) AS head FROM log').one().head;
  }

  findMessage(sender: string, cid: string): MessageEntry | undefined {
    const rows = this.sql
      .exec("SELECT group_seq, ts, kind, body FROM log WHERE kind = 'message' AND sender = ? AND cid = ?", sender, cid)
      .toArray();
    if (rows.length === 0) return undefined;

    const entry = entryFromRow(rows[0]);
    return entry.kind === 'message' ? entry : undefined;
  }

  /**
   * Appends a message; `build` receives the group seq it gets. The row is
   * inserted first and its body written once the seq is known, both inside
   * this synchronous call.
   */
  appendMessage(sender: string, cid: string, ts: number, build: (groupSeq: number) => GroupMessage): MessageEntry {
    const groupSeq = this.sql
      .exec<{ group_seq: number }>(
        "INSERT INTO log (ts, kind, sender, cid, body) VALUES (?, 'message', ?, ?, '{}') RETURNING group_seq",
        ts,
        sender,
        cid,
      )
      .one().group_seq;
    const message = build(groupSeq);
    this.sql.exec('UPDATE log SET body = ? WHERE group_seq = ?', JSON.stringify(message), groupSeq);
    return { kind: 'message', groupSeq, ts, message };
  }

  appendChange(change: GroupChange, ts: number): number {
    return this.sql
      .exec<{ group_seq: number }>(
        "INSERT INTO log (ts, kind, body) VALUES (?, 'change', ?) RETURNING group_seq",
        ts,
        JSON.stringify(change),
      )
      .one().group_seq;
  }

  /** Entries with group seq > `after` and ≥ `from`, in group order, at most `limit`. */
  readPage(after: number, from: number, limit: number): { entries: GroupLogEntry[]; hasMore: boolean } {
    const rows = this.sql
      .exec(
        'SELECT group_seq, ts, kind, body FROM log WHERE group_seq > ? AND group_seq >= ? ORDER BY group_seq LIMIT ?',
        after,
        from,
        limit + 1,
      )
      .toArray()
      .map(entryFromRow);
    return { entries: rows.slice(0, limit), hasMore: rows.length > limit };
  }
}

function entryFromRow(raw: unknown): GroupLogEntry {
  const row = validate(logRowSchema, raw);
  if (!row.ok) throw new Error(`Group log row is invalid: ${row.message}`);

  const { group_seq, ts, kind, body } = row.value;
  const fields: unknown = JSON.parse(body);
  const candidate =
    kind === 'message' ? { kind, groupSeq: group_seq, ts, message: fields } : { kind, groupSeq: group_seq, ts, change: fields };

  const entry = validate(groupLogEntrySchema, candidate);
  if (!entry.ok) throw new Error(`Group log row ${group_seq} contains an invalid ${kind}: ${entry.message}`);
  return entry.value;
}
