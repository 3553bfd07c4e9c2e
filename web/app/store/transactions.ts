// The read-write transaction that applies inbox events, acks and group log
// pages, and the helper that rolls a transaction back when its work throws.

import type { IDBPTransaction, StoreNames } from 'idb';
import type { FeigeSchema } from './db';

/** Every store an inbox event may change: a group event touches the group stores as well. */
export const INBOX_STORES = ['messages', 'messageBlocks', 'conversations', 'meta', 'outbox', 'groups', 'groupNotices'] as const;
export type InboxStoreName = (typeof INBOX_STORES)[number];
export type InboxTx = IDBPTransaction<FeigeSchema, InboxStoreName[], 'readwrite'>;

/**
 * Runs `work` inside `tx` and aborts the transaction if it throws, so that
 * writes done before the failure are rolled back instead of committed.
 */
export async function runAtomically<T, Names extends StoreNames<FeigeSchema>[]>(
  tx: IDBPTransaction<FeigeSchema, Names, 'readwrite'>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    const result = await work();
    await tx.done;
    return result;
  } catch (error) {
    tx.done.catch(() => undefined);
    abortQuietly(tx);
    throw error;
  }
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // The transaction already finished or aborted itself; nothing is left to roll back.
  }
}
