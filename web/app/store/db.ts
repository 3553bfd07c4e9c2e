// The local IndexedDB database of one account, `feige-<userId>`. It is the
// source of truth for the UI: the socket client writes server events into it
// and the screens read from it, so history shows without a network.

import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { ErrorCode } from '../../../protocol/errors';
import type { Envelope } from '../../../protocol/envelope';
import type { PublicProfile } from '../../../protocol/api';
import type { GroupChange } from '../../../protocol/groups';
import type { GroupE2eContent } from '../e2e/group-crypto';
import type { SenderKeyDistribution } from '../crypto/sender-key';
import type { GroupMembershipState, StoredGroup, StoredGroupNotice } from './group-records';

/**
 * Version 2 added the `identities` store for end-to-end encryption. Version 3
 * added group chat: the `groups` and `groupNotices` stores and the
 * `by-conversation-group-seq` index of messages. Version 4 added the
 * `messageBlocks` store (message-blocks.ts).
 */
const DB_VERSION = 4;

export type MessageStatus = 'pending' | 'sent' | 'failed';

/** Reason the server rejected a send for good, which the UI turns into a catalog message. */
export interface SendFailure {
  code: ErrorCode;
  limit?: number;
  value?: number;
}

/**
 * What a stored message shows. Messages travel end-to-end encrypted, and only
 * their plaintext is stored here: decrypted on arrival, or kept from the
 * composer for own messages.
 */
export type LocalContent =
  | { type: 'text'; text: string }
  /**
   * A message this device cannot show: addressed only to devices that were
   * signed in before this one, or one that did not decrypt.
   */
  | { type: 'unavailable'; reason: 'not_for_this_device' | 'undecryptable' }
  /** A notice that a contact's device keys changed (web/app/e2e/key-changes.ts); it has no seq. */
  | { type: 'key_change' }
  /** A change in a group, shown as a centered line among the group's messages; `from` is who made it. */
  | { type: 'system'; change: GroupChange };

/**
 * Content the outbox sends: a chat text, or a control message that shows
 * nowhere. A control message is a session repair's `session_reset` or a group
 * member device's sender key (sent as a `send` frame with the group id).
 */
export type OutgoingContent =
  | { type: 'text'; text: string }
  | { type: 'session_reset' }
  | { type: 'sender_key'; distribution: SenderKeyDistribution };

/** What decrypting a received message gives: content to store, or a control message that stores nothing. */
export type ReceivedContent = Exclude<LocalContent, { type: 'key_change' } | { type: 'system' }> | { type: 'control' };

export interface StoredMessage {
  /** Primary key: the server's message id once stored there, the client id (cid) before. */
  key: string;
  /** The server's message id, null until the server acknowledged the message. */
  id: string | null;
  cid: string;
  conversationId: string;
  from: string;
  /** The peer of a 1:1 message; the group id of a group message. */
  to: string;
  content: LocalContent;
  /** Server time in ms since the epoch; the local clock while the message is pending. */
  ts: number;
  /** Seq of the message in this account's inbox; absent while pending or failed, and for entries read with `group.sync`. */
  seq?: number;
  /** Position in the group log, for group messages and logged group changes. */
  groupSeq?: number;
  status: MessageStatus;
  failure?: SendFailure;
}

/**
 * Received 1:1 messages of one conversation, stored as one record: a sync
 * page of many messages then costs IndexedDB a record per block instead of
 * one per message. Only messages nothing changes later go into a block:
 * others' messages with their final content. The bounds let readers pick
 * blocks by index.
 */
export interface StoredMessageBlock {
  conversationId: string;
  /** The smallest and largest `ts` of the messages, which need not follow seq order. */
  firstTs: number;
  lastTs: number;
  /** Seq of the first message. [conversationId, firstTs, firstSeq] is the block's key. */
  firstSeq: number;
  lastSeq: number;
  /** In seq order, and each has a seq. */
  messages: StoredMessage[];
}

export interface MessagePreview {
  /** Client id of the previewed message: an ack or event for it updates the preview in place. */
  cid: string;
  /** Start of the message text; null for content shown without text, such as a message this device cannot read. */
  text: string | null;
  from: string;
  status: MessageStatus;
  /** The group change a system line shows; the list words it in the user's language. */
  change?: GroupChange;
}

export interface StoredConversation {
  /** `d:<user>:<user>` for a 1:1 chat, `g:<groupId>` for a group. */
  id: string;
  /** The other participant; the own user id in a note-to-self conversation; the group id of a group. */
  peerId: string;
  /** Present on group conversations only. */
  group?: GroupConversation;
  lastMessage: MessagePreview | null;
  /** Time of the newest message, local clock for a pending one; sorts the conversation list. */
  lastActivity: number;
  unread: number;
  /** Inbox seq up to which this account has read the conversation, on any device. */
  lastReadSeq: number;
  /** Highest read seq the server has: sent in a `read` frame or received as a `read` event. */
  sentReadSeq: number;
}

/** The part of a group the conversation list shows, kept on its conversation record. */
export interface GroupConversation {
  groupId: string;
  /** The group name from the server; empty until the first `created` change or GroupInfo arrives. */
  name: string;
  state: GroupMembershipState;
  /** The group picture's R2 key, once GroupInfo or an `info_changed` change named one. */
  avatarKey?: string | null;
}

/** A message waiting for its ack. Resent with the same cid until acked or rejected. */
export interface OutboxEntry {
  /** Auto-incremented key: the outbox is flushed in this order. */
  order?: number;
  cid: string;
  conversationId: string;
  to: string;
  content: OutgoingContent;
  /**
   * The encrypted form, made once at the first send so that every resend
   * carries the same envelope; dropped when the edge answers `devices_changed`.
   */
  envelope?: Envelope;
  /** Set for a group message: it travels as `group.send` to this group. */
  groupId?: string;
  /** The group's encryption mode, from the GroupInfo known when the message was queued. */
  groupEncryption?: 'end_to_end' | 'transport';
  /** The sender-key ciphertext made at the first send, so that every resend carries the same one. */
  groupContent?: GroupE2eContent;
  createdAt: number;
}

/** The identity signing keys a contact's devices had when this account last saw them. */
export interface KnownIdentities {
  userId: string;
  /** Base64url Ed25519 keys, sorted. */
  signingKeys: string[];
  updatedAt: number;
}

export interface CachedProfile extends PublicProfile {
  /** Lower-cased username: look-ups ignore case like the server's. */
  usernameKey: string;
  fetchedAt: number;
}

export interface FeigeSchema extends DBSchema {
  messages: {
    key: string;
    value: StoredMessage;
    indexes: {
      'by-conversation-ts': [string, number];
      'by-conversation-seq': [string, number];
      'by-conversation-group-seq': [string, number];
      'by-cid': string;
    };
  };
  messageBlocks: {
    key: [string, number, number];
    value: StoredMessageBlock;
    indexes: {
      'by-conversation-last-ts': [string, number];
      'by-conversation-last-seq': [string, number];
    };
  };
  conversations: {
    key: string;
    value: StoredConversation;
    indexes: { 'by-activity': number };
  };
  outbox: {
    key: number;
    value: OutboxEntry;
    indexes: { 'by-cid': string };
  };
  meta: {
    key: 'lastSeq';
    value: number;
  };
  profiles: {
    key: string;
    value: CachedProfile;
    indexes: { 'by-username': string };
  };
  identities: {
    key: string;
    value: KnownIdentities;
  };
  groups: {
    key: string;
    value: StoredGroup;
  };
  groupNotices: {
    key: string;
    value: StoredGroupNotice;
    indexes: { 'by-group': string };
  };
}

export type FeigeDb = IDBPDatabase<FeigeSchema>;

export function databaseName(userId: string): string {
  return `feige-${userId}`;
}

export async function openFeigeDb(userId: string): Promise<FeigeDb> {
  return openDB<FeigeSchema>(databaseName(userId), DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) createFirstStores(db);
      if (oldVersion < 2) db.createObjectStore('identities', { keyPath: 'userId' });
      if (oldVersion < 3) createGroupStores(db, transaction);
      if (oldVersion < 4) createMessageBlocks(db);
    },
    blocked() {
      console.warn('[store] database upgrade is waiting for another tab to close it', { userId });
    },
  });
}

/** The stores of version 1. */
function createFirstStores(db: IDBPDatabase<FeigeSchema>): void {
  const messages = db.createObjectStore('messages', { keyPath: 'key' });
  messages.createIndex('by-conversation-ts', ['conversationId', 'ts']);
  messages.createIndex('by-conversation-seq', ['conversationId', 'seq']);
  messages.createIndex('by-cid', 'cid');

  const conversations = db.createObjectStore('conversations', { keyPath: 'id' });
  conversations.createIndex('by-activity', 'lastActivity');

  const outbox = db.createObjectStore('outbox', { keyPath: 'order', autoIncrement: true });
  outbox.createIndex('by-cid', 'cid', { unique: true });

  db.createObjectStore('meta');

  const profiles = db.createObjectStore('profiles', { keyPath: 'id' });
  profiles.createIndex('by-username', 'usernameKey');
}

/** The stores and index of version 3, for group chat. */
function createGroupStores(db: IDBPDatabase<FeigeSchema>, transaction: IDBPTransaction<FeigeSchema, StoreNames<FeigeSchema>[], 'versionchange'>): void {
  transaction.objectStore('messages').createIndex('by-conversation-group-seq', ['conversationId', 'groupSeq']);
  db.createObjectStore('groups', { keyPath: 'groupId' });
  const notices = db.createObjectStore('groupNotices', { keyPath: 'key' });
  notices.createIndex('by-group', 'groupId');
}

/**
 * The store of version 4. Its key orders a conversation's blocks by their
 * oldest message, and its indexes serve the other reads in timeline.ts.
 */
function createMessageBlocks(db: IDBPDatabase<FeigeSchema>): void {
  const blocks = db.createObjectStore('messageBlocks', { keyPath: ['conversationId', 'firstTs', 'firstSeq'] });
  blocks.createIndex('by-conversation-last-ts', ['conversationId', 'lastTs']);
  blocks.createIndex('by-conversation-last-seq', ['conversationId', 'lastSeq']);
}

/** Returns the newest inbox seq stored locally, or 0 before the first event. */
export async function readLastSeq(db: FeigeDb): Promise<number> {
  return (await db.get('meta', 'lastSeq')) ?? 0;
}
