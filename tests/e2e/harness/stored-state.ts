// Reads what the server stored on disk, to check that no message plaintext
// is among it: D1 through `wrangler d1 execute`, and the Durable Object
// SQLite files of `wrangler dev --persist-to` as raw bytes (node:sqlite is
// missing from Node 20).

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT } from './paths';
import { WRANGLER_ENV } from './processes';
import { MIGRATION_TIMEOUT_MS } from './timeouts';

const run = promisify(execFile);

/** Bytes of `wrangler d1 execute` output kept; a dump of a test database is far smaller. */
const D1_OUTPUT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Dumps every application table of the local D1 database as JSON text.
 * Table names come from sqlite_master of the same database and are quoted as
 * identifiers.
 */
export async function dumpD1(persistDir: string): Promise<string> {
  const tables = await d1Json(persistDir, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  // D1 reserves `_cf_` tables for itself and refuses to read them.
  const names = [...tables.matchAll(/"name":\s*"([^"]+)"/g)]
    .map((match) => match[1]!)
    .filter((name) => !name.toLowerCase().startsWith('_cf_'));
  if (names.length === 0) throw new Error(`wrangler d1 execute listed no tables:\n${tables}`);

  const statements = names.map((name) => `SELECT * FROM "${name.replaceAll('"', '""')}";`).join(' ');
  return d1Json(persistDir, statements);
}

async function d1Json(persistDir: string, command: string): Promise<string> {
  const { stdout } = await run(
    'npx',
    ['wrangler', 'd1', 'execute', 'DB', '--local', '--persist-to', persistDir, '--json', '--command', command],
    { cwd: REPOSITORY_ROOT, env: WRANGLER_ENV, timeout: MIGRATION_TIMEOUT_MS, maxBuffer: D1_OUTPUT_MAX_BYTES },
  );
  return stdout;
}

/** Lists every file under the Durable Object storage of the persist directory (SQLite databases and their WAL files). */
export function durableObjectFiles(persistDir: string): string[] {
  const root = join(persistDir, 'v3', 'do');
  if (!existsSync(root)) throw new Error(`No Durable Object storage at ${root}`);

  const files: string[] = [];
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) visit(path);
      else files.push(path);
    }
  };
  visit(root);
  return files;
}

/** Returns the files whose raw bytes contain `text` encoded as UTF-8. */
export function filesContaining(files: readonly string[], text: string): string[] {
  const needle = Buffer.from(text, 'utf8');
  return files.filter((file) => readFileSync(file).includes(needle));
}
