// Sessions of this user that were revoked. The Worker checks D1 before it
// forwards an upgrade, but a revocation can land between that check and the
// upgrade reaching this object. This list closes that gap.

const SCHEMA = 'CREATE TABLE IF NOT EXISTS revoked_sessions (session_id TEXT PRIMARY KEY, revoked_at INTEGER NOT NULL)';

export class RevokedSessions {
  /** Loaded on first use after each wake, so a hibernated object costs no read until it needs the list. */
  private cache: Set<string> | undefined;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  has(sessionId: string): boolean {
    return this.load().has(sessionId);
  }

  add(sessionIds: readonly string[], now: number): void {
    const cache = this.load();
    for (const id of sessionIds) {
      this.sql.exec('INSERT OR IGNORE INTO revoked_sessions (session_id, revoked_at) VALUES (?, ?)', id, now);
      cache.add(id);
    }
  }

  private load(): Set<string> {
    if (this.cache) return this.cache;

    const ids = new Set<string>();
    for (const row of this.sql.exec('SELECT session_id FROM revoked_sessions')) {
      if (typeof row.session_id === 'string') ids.add(row.session_id);
    }
    this.cache = ids;
    return ids;
  }
}
