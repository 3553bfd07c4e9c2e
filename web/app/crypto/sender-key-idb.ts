// The sender-key stores of the crypto database (`feige-crypto-<userId>`):
// `ownSenderKeys` by group id, and `peerSenderKeys` by (group id, sender
// device) with an index on the group. Own signing keys are non-extractable
// CryptoKeys, stored as they are.

import type { DBSchema, IDBPDatabase } from 'idb';
import type { OwnSenderKeyRecord, PeerSenderKeyRecord, SenderKeyStore } from './sender-key-store';

export interface SenderKeyDbSchema extends DBSchema {
  ownSenderKeys: { key: string; value: OwnSenderKeyRecord };
  peerSenderKeys: { key: [string, string]; value: PeerSenderKeyRecord; indexes: { 'by-group': string } };
}

export function createSenderKeyStores(database: IDBPDatabase<SenderKeyDbSchema>): void {
  database.createObjectStore('ownSenderKeys', { keyPath: 'groupId' });
  const peers = database.createObjectStore('peerSenderKeys', { keyPath: ['groupId', 'senderDevice'] });
  peers.createIndex('by-group', 'groupId');
}

export class IndexedDbSenderKeys implements SenderKeyStore {
  constructor(private readonly senderKeyDb: IDBPDatabase<SenderKeyDbSchema>) {}

  async getOwnSenderKey(groupId: string): Promise<OwnSenderKeyRecord | undefined> {
    return this.senderKeyDb.get('ownSenderKeys', groupId);
  }

  async putOwnSenderKey(record: OwnSenderKeyRecord): Promise<void> {
    await this.senderKeyDb.put('ownSenderKeys', record);
  }

  async updateOwnSenderKey(groupId: string, change: (record: OwnSenderKeyRecord) => OwnSenderKeyRecord): Promise<void> {
    const tx = this.senderKeyDb.transaction('ownSenderKeys', 'readwrite');
    const current = await tx.store.get(groupId);
    if (current) await tx.store.put(change(current));
    await tx.done;
  }

  async deleteOwnSenderKey(groupId: string): Promise<void> {
    await this.senderKeyDb.delete('ownSenderKeys', groupId);
  }

  async getPeerSenderKeys(groupId: string, senderDevice: string): Promise<PeerSenderKeyRecord | undefined> {
    return this.senderKeyDb.get('peerSenderKeys', [groupId, senderDevice]);
  }

  async putPeerSenderKeys(record: PeerSenderKeyRecord): Promise<void> {
    await this.senderKeyDb.put('peerSenderKeys', record);
  }

  async deletePeerSenderKeys(groupId: string, senderUser?: string): Promise<void> {
    const tx = this.senderKeyDb.transaction('peerSenderKeys', 'readwrite');
    let cursor = await tx.store.index('by-group').openCursor(groupId);
    while (cursor) {
      if (senderUser === undefined || cursor.value.senderUser === senderUser) await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  }
}
