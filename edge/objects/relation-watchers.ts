// Users whose objects cache facts about this user for their sends
// (peer-cache.ts). Kept in SQLite, so a change reaches them after this object
// was evicted and woke again.

const SCHEMA = 'CREATE TABLE IF NOT EXISTS relation_watchers (user_id TEXT PRIMARY KEY)';

export class RelationWatchers {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  add(userId: string): void {
    this.sql.exec('INSERT OR IGNORE INTO relation_watchers (user_id) VALUES (?)', userId);
  }

  // TODO: rows are never pruned; a user messaged by very many peers keeps one row per peer.
  list(): string[] {
    const ids: string[] = [];
    for (const row of this.sql.exec('SELECT user_id FROM relation_watchers')) {
      if (typeof row.user_id === 'string') ids.push(row.user_id);
    }
    return ids;
  }
}
