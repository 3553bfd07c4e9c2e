// The CryptoStore on IndexedDB (through the `idb` package): the device
// identity, prekeys, one record per remote device, decrypt receipts and the
// app's counters. CryptoKeys are stored as they are, so non-extractable
// private keys never exist as bytes.
//
// Ratchet steps are atomic across tabs and the service worker in two layers.
// An IndexedDB transaction commits as soon as it has no pending request, so
// it cannot stay open across the WebCrypto calls of a step. Each step
// therefore reads the record and its revision and computes. Then one
// readwrite transaction writes the new record with revision + 1, but only if
// the revision is unchanged (compare-and-swap). After a conflict the step
// runs again. Around that, a Web Lock named `feige-crypto-<peer device>`
// serializes steps on one peer wherever `navigator.locks` exists, so
// conflicts are rare.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CryptoStore, DecryptReceipt, PeerRecordStep, PeerRecordUpdate, StoredIdentity } from './crypto-store';
import { DecryptError, SessionUpdateConflictError } from './errors';
import type { OneTimePreKey, SignedPreKey } from './identity';
import { restorePeerSessionRecord, type PeerSessionRecord } from './session-record';
import { createSenderKeyStores, IndexedDbSenderKeys, type SenderKeyDbSchema } from './sender-key-idb';
import type { SenderKeyStore } from './sender-key-store';

export const CRYPTO_DB_NAME = 'feige-crypto';
/** Version 2 added the `receipts` and `counters` stores, version 3 the sender-key stores. */
const CRYPTO_DB_VERSION = 3;
const IDENTITY_KEY = 'self';

/** Attempts of one compare-and-swap update before it fails with SessionUpdateConflictError. */
export const SESSION_UPDATE_ATTEMPTS_MAX = 10;

export const LOCK_NAME_PREFIX = 'feige-crypto-';

interface StoredPeerRecord {
  peerDevice: string;
  /** Incremented by every committed update; the compare-and-swap compares it. */
  revision: number;
  record: PeerSessionRecord;
}

/**
 * The receipts of one commit, stored as one record: a page of messages then
 * costs IndexedDB one `put` and one `delete`, not one of each per message.
 * The key is random, because the record is found through its receipts' keys.
 */
interface ReceiptGroup {
  key: string;
  receipts: DecryptReceipt[];
}

/** Versions before receipt groups stored each receipt as its own record, and a crash may have left some behind. */
type StoredReceipt = ReceiptGroup | DecryptReceipt;

function receiptsOf(stored: StoredReceipt): DecryptReceipt[] {
  return 'receipts' in stored ? stored.receipts : [stored];
}

interface CryptoDbSchema extends DBSchema, SenderKeyDbSchema {
  identity: { key: string; value: StoredIdentity };
  signedPreKeys: { key: number; value: SignedPreKey };
  oneTimePreKeys: { key: number; value: OneTimePreKey };
  sessions: { key: string; value: StoredPeerRecord };
  receipts: { key: string; value: StoredReceipt };
  counters: { key: string; value: number };
}

export async function openSessionStore(name = CRYPTO_DB_NAME): Promise<IndexedDbCryptoStore> {
  const db = await openDB<CryptoDbSchema>(name, CRYPTO_DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('identity');
        database.createObjectStore('signedPreKeys', { keyPath: 'id' });
        database.createObjectStore('oneTimePreKeys', { keyPath: 'id' });
        database.createObjectStore('sessions', { keyPath: 'peerDevice' });
      }
      if (oldVersion < 2) {
        database.createObjectStore('receipts', { keyPath: 'key' });
        database.createObjectStore('counters');
      }
      if (oldVersion < 3) createSenderKeyStores(database as unknown as IDBPDatabase<SenderKeyDbSchema>);
    },
  });
  return new IndexedDbCryptoStore(db);
}

/** Runs `task` under an exclusive Web Lock where the platform has the Web Locks API, else directly. */
async function runExclusive<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return task();
  return locks.request(name, { mode: 'exclusive' }, task);
}

export class IndexedDbCryptoStore extends IndexedDbSenderKeys implements CryptoStore, SenderKeyStore {
  constructor(private readonly db: IDBPDatabase<CryptoDbSchema>) {
    // The sender-key half uses only its own stores, and idb's types cannot narrow a database to part of its schema.
    super(db as unknown as IDBPDatabase<SenderKeyDbSchema>);
  }

  close(): void {
    this.db.close();
  }

  async getIdentity(): Promise<StoredIdentity | undefined> {
    return this.db.get('identity', IDENTITY_KEY);
  }

  async putIdentity(value: StoredIdentity): Promise<void> {
    await this.db.put('identity', value, IDENTITY_KEY);
  }

  async getSignedPreKey(id: number): Promise<SignedPreKey | undefined> {
    return this.db.get('signedPreKeys', id);
  }

  async putSignedPreKey(key: SignedPreKey): Promise<void> {
    await this.db.put('signedPreKeys', key);
  }

  async deleteSignedPreKey(id: number): Promise<void> {
    await this.db.delete('signedPreKeys', id);
  }

  async getOneTimePreKey(id: number): Promise<OneTimePreKey | undefined> {
    return this.db.get('oneTimePreKeys', id);
  }

  async putOneTimePreKeys(keys: OneTimePreKey[]): Promise<void> {
    const tx = this.db.transaction('oneTimePreKeys', 'readwrite');
    await Promise.all([...keys.map((key) => tx.store.put(key)), tx.done]);
  }

  async countOneTimePreKeys(): Promise<number> {
    return this.db.count('oneTimePreKeys');
  }

  async getReceipt(key: string): Promise<DecryptReceipt | undefined> {
    const [receipt] = await this.getReceipts([key]);
    return receipt;
  }

  /**
   * Reads the whole store in one request. The app deletes receipts once their
   * messages are stored, so it usually contains a few records at most.
   */
  async getReceipts(keys: readonly string[]): Promise<(DecryptReceipt | undefined)[]> {
    if (keys.length === 0) return [];
    const byKey = new Map<string, DecryptReceipt>();
    for (const stored of await this.db.getAll('receipts')) {
      for (const receipt of receiptsOf(stored)) byKey.set(receipt.key, receipt);
    }
    return keys.map((key) => byKey.get(key));
  }

  /** Removes the receipts of `keys` from their records, and deletes each record left empty, in one transaction. */
  async deleteReceipts(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const doomed = new Set(keys);
    const tx = this.db.transaction('receipts', 'readwrite');

    for (const stored of await tx.store.getAll()) {
      const receipts = receiptsOf(stored);
      const kept = receipts.filter((receipt) => !doomed.has(receipt.key));
      if (kept.length === receipts.length) continue;
      if (kept.length === 0) void tx.store.delete(stored.key);
      else void tx.store.put({ key: stored.key, receipts: kept });
    }
    await tx.done;
  }

  async getCounter(name: string): Promise<number | undefined> {
    return this.db.get('counters', name);
  }

  async putCounter(name: string, value: number): Promise<void> {
    await this.db.put('counters', value, name);
  }

  async getPeerRecord(peerDevice: string): Promise<PeerSessionRecord | undefined> {
    const stored = await this.db.get('sessions', peerDevice);
    return stored && restorePeerSessionRecord(stored.record);
  }

  async deletePeerRecord(peerDevice: string): Promise<void> {
    await runExclusive(LOCK_NAME_PREFIX + peerDevice, () => this.db.delete('sessions', peerDevice));
  }

  async updatePeerRecord<T>(peerDevice: string, step: PeerRecordStep<T>): Promise<T> {
    return runExclusive(LOCK_NAME_PREFIX + peerDevice, async () => {
      for (let attempt = 1; attempt <= SESSION_UPDATE_ATTEMPTS_MAX; attempt++) {
        const stored = await this.db.get('sessions', peerDevice);
        const update = await step(stored && restorePeerSessionRecord(stored.record));
        if (await this.compareAndSwap(peerDevice, stored?.revision ?? 0, update)) return update.result;
      }
      throw new SessionUpdateConflictError(
        `the session with device ${peerDevice} changed during each of ${SESSION_UPDATE_ATTEMPTS_MAX} attempts ` +
          '(SESSION_UPDATE_ATTEMPTS_MAX); another writer is updating it without the Web Lock',
      );
    });
  }

  /** Writes the update if the record still has `expectedRevision`; returns false and writes nothing otherwise. */
  private async compareAndSwap<T>(
    peerDevice: string,
    expectedRevision: number,
    update: PeerRecordUpdate<T>,
  ): Promise<boolean> {
    const tx = this.db.transaction(['sessions', 'oneTimePreKeys', 'receipts'], 'readwrite');
    const sessions = tx.objectStore('sessions');

    const current = await sessions.get(peerDevice);
    if ((current?.revision ?? 0) !== expectedRevision) {
      await abort(tx);
      return false;
    }

    const consumedId = update.consumedOneTimePreKeyId;
    if (consumedId !== undefined && consumedId !== null) {
      const preKeys = tx.objectStore('oneTimePreKeys');
      if ((await preKeys.get(consumedId)) === undefined) {
        await abort(tx);
        throw new DecryptError('no_session', `one-time prekey ${consumedId} was used by another session meanwhile`);
      }
      await preKeys.delete(consumedId);
    }

    await sessions.put({ peerDevice, revision: expectedRevision + 1, record: update.record });
    const receipts = update.receipts ?? [];
    if (receipts.length > 0) await tx.objectStore('receipts').put({ key: crypto.randomUUID(), receipts: [...receipts] });
    await tx.done;
    return true;
  }
}

async function abort(tx: { abort(): void; done: Promise<void> }): Promise<void> {
  tx.abort();
  await tx.done.catch(() => undefined);
}
