import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';
import * as schema from './schema';

/** `$client` is the D1 binding underneath, for the few statements drizzle's API cannot batch. */
export type Database = DrizzleD1Database<typeof schema> & { $client: D1Database };

export function openDatabase(d1: D1Database): Database {
  return drizzle(d1, { schema });
}
