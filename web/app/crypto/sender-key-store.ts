// The storage of sender keys (sender-key.ts): this device's own key per
// group, and the keys other member devices handed to it. session-store.ts
// implements it on IndexedDB next to the 1:1 sessions.

import type { Bytes } from './bytes';
import type { CryptoStore } from './crypto-store';
import type { OwnSenderKey, PeerSenderKey } from './sender-key';

/** Sender keys kept per peer device and group: the newest and older ones, for messages sent before a rotation that arrive late. */
export const SENDER_KEYS_PER_DEVICE_MAX = 3;

/**
 * Plaintexts of decrypted group messages kept per peer device and group, by
 * message id. A second open of the same message (another tab, a sync page
 * read again) reads it here instead of failing as `replayed`.
 */
export const SENDER_KEY_RECEIPTS_MAX = 200;

export interface OwnSenderKeyRecord {
  groupId: string;
  key: OwnSenderKey;
  /** A member left or was removed since the key was made: the next send makes a new one. */
  stale: boolean;
  /** Devices the key was queued for; later sends skip them. */
  sentTo: string[];
  /** Cids of queued distributions that have not left the outbox yet. */
  pendingCids: string[];
}

export interface PeerSenderKeyRecord {
  groupId: string;
  senderDevice: string;
  /** The user whose authenticated 1:1 session delivered the keys; group messages from that device must come from this user. */
  senderUser: string;
  /** Newest first, at most SENDER_KEYS_PER_DEVICE_MAX. */
  keys: PeerSenderKey[];
  /** Decrypted payloads by message id, oldest first, at most SENDER_KEY_RECEIPTS_MAX. */
  receipts: Map<string, Bytes>;
}

export interface SenderKeyStore {
  getOwnSenderKey(groupId: string): Promise<OwnSenderKeyRecord | undefined>;
  putOwnSenderKey(record: OwnSenderKeyRecord): Promise<void>;
  /** Applies `change` to the stored record in one transaction; does nothing when there is none. */
  updateOwnSenderKey(groupId: string, change: (record: OwnSenderKeyRecord) => OwnSenderKeyRecord): Promise<void>;
  deleteOwnSenderKey(groupId: string): Promise<void>;

  getPeerSenderKeys(groupId: string, senderDevice: string): Promise<PeerSenderKeyRecord | undefined>;
  putPeerSenderKeys(record: PeerSenderKeyRecord): Promise<void>;
  /** Deletes the group's peer keys; only those `senderUser` delivered when given. */
  deletePeerSenderKeys(groupId: string, senderUser?: string): Promise<void>;
}

/** Adds a key handed over by a peer device, newest first, dropping the oldest past SENDER_KEYS_PER_DEVICE_MAX. A known key id keeps its state. */
export function addPeerKey(keys: readonly PeerSenderKey[], key: PeerSenderKey): PeerSenderKey[] {
  if (keys.some((known) => known.keyId === key.keyId)) return [...keys];
  return [key, ...keys].slice(0, SENDER_KEYS_PER_DEVICE_MAX);
}

/** Adds a receipt, dropping the oldest past SENDER_KEY_RECEIPTS_MAX. */
export function addReceipt(receipts: ReadonlyMap<string, Bytes>, messageId: string, payload: Bytes): Map<string, Bytes> {
  const next = new Map(receipts);
  next.set(messageId, payload);
  while (next.size > SENDER_KEY_RECEIPTS_MAX) next.delete(next.keys().next().value as string);
  return next;
}

/** The store of a device that takes part in groups: 1:1 sessions and sender keys. */
export type GroupCryptoStore = CryptoStore & SenderKeyStore;
