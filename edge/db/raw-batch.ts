import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Database } from './client';

const dialect = new SQLiteAsyncDialect();

/**
 * Runs SQL statements written with drizzle's `sql` template as one D1 batch,
 * which D1 executes as one transaction. drizzle-orm 0.45's own `batch()`
 * throws for raw statements that have parameters, so this goes to D1
 * directly; every value still travels as a bound parameter.
 */
export async function runRawBatch(db: Database, statements: SQL[]): Promise<D1Result[]> {
  const client = db.$client;
  return client.batch(
    statements.map((statement) => {
      const query = dialect.sqlToQuery(statement);
      return client.prepare(query.sql).bind(...query.params);
    }),
  );
}
