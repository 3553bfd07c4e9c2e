// A CryptoStore in memory for the bench's Node clients, which have no
// IndexedDB and need no persistence: a bench device lives for one run. Steps
// on one peer device run one after another, as the Web Lock orders them in
// the PWA's IndexedDB store.

import type { CryptoStore, DecryptReceipt, PeerRecordStep, StoredIdentity } from '../../web/app/crypto/crypto-store';
import type { OneTimePreKey, SignedPreKey } from '../../web/app/crypto/identity';
import type { PeerSessionRecord } from '../../web/app/crypto/session-record';

export class MemoryCryptoStore implements CryptoStore {
  private identity: StoredIdentity | undefined;
  private readonly signedPreKeys = new Map<number, SignedPreKey>();
  private readonly oneTimePreKeys = new Map<number, OneTimePreKey>();
  private readonly receipts = new Map<string, DecryptReceipt>();
  private readonly counters = new Map<string, number>();
  private readonly peers = new Map<string, PeerSessionRecord>();
  private readonly peerQueues = new Map<string, Promise<unknown>>();

  async getIdentity(): Promise<StoredIdentity | undefined> {
    return this.identity;
  }

  async putIdentity(value: StoredIdentity): Promise<void> {
    this.identity = value;
  }

  async getSignedPreKey(id: number): Promise<SignedPreKey | undefined> {
    return this.signedPreKeys.get(id);
  }

  async putSignedPreKey(key: SignedPreKey): Promise<void> {
    this.signedPreKeys.set(key.id, key);
  }

  async deleteSignedPreKey(id: number): Promise<void> {
    this.signedPreKeys.delete(id);
  }

  async getOneTimePreKey(id: number): Promise<OneTimePreKey | undefined> {
    return this.oneTimePreKeys.get(id);
  }

  async putOneTimePreKeys(keys: OneTimePreKey[]): Promise<void> {
    for (const key of keys) this.oneTimePreKeys.set(key.id, key);
  }

  async countOneTimePreKeys(): Promise<number> {
    return this.oneTimePreKeys.size;
  }

  async getReceipt(key: string): Promise<DecryptReceipt | undefined> {
    return this.receipts.get(key);
  }

  async getReceipts(keys: readonly string[]): Promise<(DecryptReceipt | undefined)[]> {
    return keys.map((key) => this.receipts.get(key));
  }

  async deleteReceipts(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.receipts.delete(key);
  }

  async getCounter(name: string): Promise<number | undefined> {
    return this.counters.get(name);
  }

  async putCounter(name: string, value: number): Promise<void> {
    this.counters.set(name, value);
  }

  async getPeerRecord(peerDevice: string): Promise<PeerSessionRecord | undefined> {
    return this.peers.get(peerDevice);
  }

  async deletePeerRecord(peerDevice: string): Promise<void> {
    this.peers.delete(peerDevice);
  }

  updatePeerRecord<T>(peerDevice: string, step: PeerRecordStep<T>): Promise<T> {
    const previous = this.peerQueues.get(peerDevice) ?? Promise.resolve();
    const next = previous.then(async () => {
      const update = await step(this.peers.get(peerDevice));
      this.peers.set(peerDevice, update.record);
      if (update.consumedOneTimePreKeyId != null) this.oneTimePreKeys.delete(update.consumedOneTimePreKeyId);
      for (const receipt of update.receipts ?? []) this.receipts.set(receipt.key, receipt);
      return update.result;
    });
    // A failed step must not block the steps queued after it.
    this.peerQueues.set(peerDevice, next.catch(() => undefined));
    return next;
  }
}
