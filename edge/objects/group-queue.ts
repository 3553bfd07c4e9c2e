// The fan-out queue of one group in GroupDO SQLite: group events waiting to be
// written into members' inboxes. A job is removed only after every recipient's
// UserDO stored it, and inboxes store each job id once, so a retried alarm
// delivers nothing twice.

import * as z from 'zod/mini';
import { parseGroupEvent, type GroupDelivery, type GroupEvent } from './inbox-events';
import { validate } from '../validation';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS fanout (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    audience TEXT NOT NULL,
    user_ids TEXT,
    visible_seq INTEGER NOT NULL,
    cursor INTEGER NOT NULL DEFAULT 0,
    event TEXT NOT NULL
  )`,
];

/**
 * `members`: every member whose join seq is at most `visibleSeq`, read when
 * the job runs, so a member removed meanwhile gets nothing. `users`: exactly
 * the listed users, members or not.
 */
export type Audience = { type: 'members'; visibleSeq: number } | { type: 'users'; userIds: string[] };

export interface FanoutJob {
  id: number;
  audience: Audience;
  /** Members: the join seq of the last member served. Users: how many of the list were served. */
  cursor: number;
  delivery: GroupDelivery;
}

const jobRowSchema = z.object({
  id: z.number(),
  audience: z.enum(['members', 'users']),
  user_ids: z.nullable(z.string()),
  visible_seq: z.number(),
  cursor: z.number(),
  event: z.string(),
});

const userIdsSchema = z.array(z.string());

export class GroupQueue {
  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  enqueue(audience: Audience, event: GroupEvent): void {
    if (audience.type === 'users' && audience.userIds.length === 0) return;

    const userIds = audience.type === 'users' ? JSON.stringify(audience.userIds) : null;
    const visibleSeq = audience.type === 'members' ? audience.visibleSeq : 0;
    this.sql.exec(
      'INSERT INTO fanout (audience, user_ids, visible_seq, event) VALUES (?, ?, ?, ?)',
      audience.type,
      userIds,
      visibleSeq,
      JSON.stringify(event),
    );
  }

  /**
   * Turns every pending `members` job into a `users` job naming the members
   * it would reach now, so that the jobs survive the removal of every member
   * (dissolution) with the audience they had when they were queued.
   */
  pinMemberAudiences(resolve: (visibleSeq: number, afterJoinSeq: number) => string[]): void {
    const jobs = this.sql.exec('SELECT * FROM fanout WHERE audience = ?', 'members').toArray().map(toJob);
    for (const job of jobs) {
      if (job.audience.type !== 'members') continue;
      const userIds = resolve(job.audience.visibleSeq, job.cursor);
      this.sql.exec("UPDATE fanout SET audience = 'users', user_ids = ?, cursor = 0 WHERE id = ?", JSON.stringify(userIds), job.id);
    }
  }

  isEmpty(): boolean {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM fanout').one().n === 0;
  }

  /** Returns the oldest jobs, at most `limit`. */
  peek(limit: number): FanoutJob[] {
    return this.sql.exec('SELECT * FROM fanout ORDER BY id LIMIT ?', limit).toArray().map(toJob);
  }

  remove(jobIds: readonly number[]): void {
    for (const id of jobIds) this.sql.exec('DELETE FROM fanout WHERE id = ?', id);
  }

  setCursor(jobId: number, cursor: number): void {
    this.sql.exec('UPDATE fanout SET cursor = ? WHERE id = ?', cursor, jobId);
  }
}

function toJob(raw: unknown): FanoutJob {
  const row = validate(jobRowSchema, raw);
  if (!row.ok) throw new Error(`Fan-out row is invalid: ${row.message}`);

  const { id, audience, user_ids, visible_seq, cursor, event } = row.value;
  const delivery: GroupDelivery = { key: String(id), event: parseGroupEvent(JSON.parse(event)) };
  if (audience === 'members') return { id, audience: { type: 'members', visibleSeq: visible_seq }, cursor, delivery };

  const userIds = validate(userIdsSchema, JSON.parse(user_ids ?? '[]'));
  if (!userIds.ok) throw new Error(`Fan-out row ${id} has an invalid user list: ${userIds.message}`);
  return { id, audience: { type: 'users', userIds: userIds.value }, cursor, delivery };
}
