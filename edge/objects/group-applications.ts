// Applications to join one group, in GroupDO SQLite. A row stays after the
// decision, so a second decision finds it handled instead of missing.

import * as z from 'zod/mini';
import type { GroupApplication } from '../../protocol/groups';
import { validate } from '../validation';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS applications (
    id TEXT PRIMARY KEY,
    applicant_id TEXT NOT NULL,
    inviter_id TEXT,
    message TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    decided_by TEXT
  )`,
  'CREATE INDEX IF NOT EXISTS applications_pending ON applications (status, created_at)',
  'CREATE INDEX IF NOT EXISTS applications_applicant ON applications (applicant_id, status)',
];

const rowSchema = z.object({
  id: z.string(),
  applicant_id: z.string(),
  inviter_id: z.nullable(z.string()),
  message: z.string(),
  created_at: z.number(),
  status: z.enum(['pending', 'approved', 'rejected']),
});

export interface ApplicationRecord extends GroupApplication {
  status: 'pending' | 'approved' | 'rejected';
}

export class GroupApplications {
  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  find(id: string): ApplicationRecord | undefined {
    const rows = this.sql.exec('SELECT * FROM applications WHERE id = ?', id).toArray();
    return rows.length === 0 ? undefined : toRecord(rows[0]);
  }

  pendingOf(applicantId: string): ApplicationRecord | undefined {
    const rows = this.sql
      .exec("SELECT * FROM applications WHERE applicant_id = ? AND status = 'pending'", applicantId)
      .toArray();
    return rows.length === 0 ? undefined : toRecord(rows[0]);
  }

  add(application: GroupApplication): void {
    this.sql.exec(
      'INSERT INTO applications (id, applicant_id, inviter_id, message, created_at) VALUES (?, ?, ?, ?, ?)',
      application.id,
      application.applicantId,
      application.inviterId,
      application.message,
      application.createdAt,
    );
  }

  decide(id: string, approved: boolean, decidedBy: string): void {
    this.sql.exec('UPDATE applications SET status = ?, decided_by = ? WHERE id = ?', approved ? 'approved' : 'rejected', decidedBy, id);
  }

  /** Pending applications, oldest first, at most `limit`. */
  pending(limit: number): GroupApplication[] {
    return this.sql
      .exec("SELECT * FROM applications WHERE status = 'pending' ORDER BY created_at LIMIT ?", limit)
      .toArray()
      .map(toRecord)
      .map(({ status: _status, ...application }) => application);
  }
}

function toRecord(raw: unknown): ApplicationRecord {
  const row = validate(rowSchema, raw);
  if (!row.ok) throw new Error(`Application row is invalid: ${row.message}`);

  const { id, applicant_id, inviter_id, message, created_at, status } = row.value;
  return { id, applicantId: applicant_id, inviterId: inviter_id, message, createdAt: created_at, status };
}
