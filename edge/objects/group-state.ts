// The settings row and the member table of one group in GroupDO SQLite.
// Every call is synchronous, so a check followed by a write inside one
// GroupDO call cannot interleave with another call.

import * as z from 'zod/mini';
import {
  groupDeliverySchema,
  groupRoleSchema,
  joinPolicySchema,
  type GroupMember,
  type GroupRole,
} from '../../protocol/groups';
import { validate } from '../validation';

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS settings (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS members (
    user_id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    role_rank INTEGER NOT NULL,
    nickname TEXT NOT NULL DEFAULT '',
    joined_at INTEGER NOT NULL,
    join_seq INTEGER NOT NULL
  )`,
  // The member list pages in this order: owner, admins, members, each by join order.
  'CREATE INDEX IF NOT EXISTS members_by_role ON members (role_rank, join_seq)',
  'CREATE INDEX IF NOT EXISTS members_by_join ON members (join_seq)',
];

export const groupSettingsSchema = z.object({
  id: z.string(),
  name: z.string(),
  avatarKey: z.nullable(z.string()),
  introduction: z.string(),
  notice: z.string(),
  joinPolicy: joinPolicySchema,
  membersCanInvite: z.boolean(),
  historyVisible: z.boolean(),
  memberLimit: z.number(),
  ownerId: z.string(),
  createdAt: z.number(),
  delivery: groupDeliverySchema,
  /** Set when the owner dissolved the group; a dissolved group accepts nothing. */
  dissolvedAt: z.nullable(z.number()),
});
export type GroupSettings = z.infer<typeof groupSettingsSchema>;

const memberRowSchema = z.object({
  user_id: z.string(),
  role: groupRoleSchema,
  nickname: z.string(),
  joined_at: z.number(),
  join_seq: z.number(),
});

export interface MemberRecord extends GroupMember {
  /** The group seq of the member's `joined` entry (or `created` for the owner). */
  joinSeq: number;
}

/** Position in the member list: the last member of the previous page. */
export interface MemberPosition {
  rank: number;
  joinSeq: number;
}

export const ROLE_RANK: Record<GroupRole, number> = { owner: 0, admin: 1, member: 2 };

export class GroupState {
  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  /** Returns the settings, or undefined for a group never created. */
  settings(): GroupSettings | undefined {
    const rows = this.sql.exec<{ body: string }>('SELECT body FROM settings WHERE id = 1').toArray();
    if (rows.length === 0) return undefined;

    const parsed = validate(groupSettingsSchema, JSON.parse(rows[0].body));
    if (!parsed.ok) throw new Error(`Group settings are invalid: ${parsed.message}`);
    return parsed.value;
  }

  saveSettings(settings: GroupSettings): void {
    this.sql.exec('INSERT OR REPLACE INTO settings (id, body) VALUES (1, ?)', JSON.stringify(settings));
  }

  member(userId: string): MemberRecord | undefined {
    const rows = this.sql.exec('SELECT * FROM members WHERE user_id = ?', userId).toArray();
    return rows.length === 0 ? undefined : toMember(rows[0]);
  }

  memberCount(): number {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM members').one().n;
  }

  addMember(userId: string, role: GroupRole, joinSeq: number, joinedAt: number): void {
    this.sql.exec(
      'INSERT INTO members (user_id, role, role_rank, joined_at, join_seq) VALUES (?, ?, ?, ?, ?)',
      userId,
      role,
      ROLE_RANK[role],
      joinedAt,
      joinSeq,
    );
  }

  removeMember(userId: string): void {
    this.sql.exec('DELETE FROM members WHERE user_id = ?', userId);
  }

  removeAllMembers(): void {
    this.sql.exec('DELETE FROM members');
  }

  setRole(userId: string, role: GroupRole): void {
    this.sql.exec('UPDATE members SET role = ?, role_rank = ? WHERE user_id = ?', role, ROLE_RANK[role], userId);
  }

  setNickname(userId: string, nickname: string): void {
    this.sql.exec('UPDATE members SET nickname = ? WHERE user_id = ?', nickname, userId);
  }

  /** User ids of the owner and the admins. */
  adminIds(): string[] {
    return this.sql
      .exec<{ user_id: string }>("SELECT user_id FROM members WHERE role IN ('owner', 'admin') ORDER BY role_rank, join_seq")
      .toArray()
      .map((row) => row.user_id);
  }

  /** User ids of every member, in join order. */
  memberIds(): string[] {
    return this.sql
      .exec<{ user_id: string }>('SELECT user_id FROM members ORDER BY join_seq')
      .toArray()
      .map((row) => row.user_id);
  }

  /**
   * Members that joined at or before group seq `visibleSeq` and after the
   * join seq `afterJoinSeq`, in join order, at most `limit`.
   */
  membersJoinedBy(visibleSeq: number, afterJoinSeq: number, limit: number): Array<{ userId: string; joinSeq: number }> {
    return this.sql
      .exec<{ user_id: string; join_seq: number }>(
        'SELECT user_id, join_seq FROM members WHERE join_seq <= ? AND join_seq > ? ORDER BY join_seq LIMIT ?',
        visibleSeq,
        afterJoinSeq,
        limit,
      )
      .toArray()
      .map((row) => ({ userId: row.user_id, joinSeq: row.join_seq }));
  }

  /** Reads one page of the member list after `after` through the (role_rank, join_seq) index. */
  memberPage(after: MemberPosition | undefined, limit: number): { members: MemberRecord[]; next?: MemberPosition } {
    const start = after ?? { rank: -1, joinSeq: 0 };
    const rows = this.sql
      .exec(
        'SELECT * FROM members WHERE (role_rank, join_seq) > (?, ?) ORDER BY role_rank, join_seq LIMIT ?',
        start.rank,
        start.joinSeq,
        limit + 1,
      )
      .toArray()
      .map(toMember);

    const members = rows.slice(0, limit);
    const last = members.at(-1);
    const next = rows.length > limit && last ? { rank: ROLE_RANK[last.role], joinSeq: last.joinSeq } : undefined;
    return { members, next };
  }
}

function toMember(raw: unknown): MemberRecord {
  const row = validate(memberRowSchema, raw);
  if (!row.ok) throw new Error(`Member row is invalid: ${row.message}`);

  const { user_id, role, nickname, joined_at, join_seq } = row.value;
  return { userId: user_id, role, nickname, joinedAt: joined_at, joinSeq: join_seq };
}
