// The storage interface the session cipher needs. session-store.ts
// implements it on IndexedDB; the cipher and the ratchet know nothing of
// IndexedDB, so their logic is testable on plain values.

import type { Bytes } from './bytes';
import type { DeviceIdentity, IdentityPublicKeys, OneTimePreKey, SignedPreKey } from './identity';
import type { PeerSessionRecord } from './session-record';

export interface StoredIdentity {
  /** This device's id, by which the server and other devices address it. */
  deviceId: string;
  identity: DeviceIdentity;
}

/**
 * The plaintext of one decrypted message, written in the same commit as the
 * ratchet step that spent its message key. The key is chosen by the caller
 * (the app uses the server's message id), so a second decrypt of the same
 * message, in another tab or after a crash, reads this instead of failing
 * as `replayed`.
 */
export interface DecryptReceipt {
  key: string;
  senderDevice: string;
  senderIdentity: IdentityPublicKeys;
  identityChanged: boolean;
  plaintext: Bytes;
}

/** The outcome of one step on a peer's record: the record to store and the value to return. */
export interface PeerRecordUpdate<T> {
  record: PeerSessionRecord;
  result: T;
  /** A one-time prekey that the step used up; it is deleted in the same commit as the record. */
  consumedOneTimePreKeyId?: number | null;
  /** Receipts to store in the same commit as the record. */
  receipts?: readonly DecryptReceipt[];
}

/**
 * Runs on the current record of one peer device and returns its successor.
 * The store may run a step more than once when another writer got in first,
 * so a step must not cause effects beyond its return value. Throwing stores
 * nothing. A step must not update or delete a peer record itself, because
 * under the Web Lock that waits for the lock the step holds.
 */
export type PeerRecordStep<T> = (current: PeerSessionRecord | undefined) => Promise<PeerRecordUpdate<T>>;

export interface CryptoStore {
  getIdentity(): Promise<StoredIdentity | undefined>;
  putIdentity(value: StoredIdentity): Promise<void>;

  getSignedPreKey(id: number): Promise<SignedPreKey | undefined>;
  putSignedPreKey(key: SignedPreKey): Promise<void>;
  deleteSignedPreKey(id: number): Promise<void>;

  getOneTimePreKey(id: number): Promise<OneTimePreKey | undefined>;
  putOneTimePreKeys(keys: OneTimePreKey[]): Promise<void>;
  countOneTimePreKeys(): Promise<number>;

  getReceipt(key: string): Promise<DecryptReceipt | undefined>;
  /** Reads several receipts at once, in the order of `keys`; one read instead of one per key. */
  getReceipts(keys: readonly string[]): Promise<(DecryptReceipt | undefined)[]>;
  deleteReceipts(keys: readonly string[]): Promise<void>;

  /** A named counter of the app, such as the next one-time prekey id; ids must never repeat, so it lives with the keys. */
  getCounter(name: string): Promise<number | undefined>;
  putCounter(name: string, value: number): Promise<void>;

  getPeerRecord(peerDevice: string): Promise<PeerSessionRecord | undefined>;
  deletePeerRecord(peerDevice: string): Promise<void>;

  /**
   * Applies `step` to the peer's record atomically. No other writer (in this
   * tab, another tab or a service worker) can change the record between the
   * read passed to the step and the write of its result.
   */
  updatePeerRecord<T>(peerDevice: string, step: PeerRecordStep<T>): Promise<T>;
}

/** Reads this device's identity, which must exist before any encrypt or decrypt. */
export async function requireIdentity(store: CryptoStore): Promise<StoredIdentity> {
  const own = await store.getIdentity();
  if (!own) throw new Error('this device has no identity yet: generate and store one before encrypting or decrypting');
  return own;
}
