// The local IndexedDB database of one account, `feige-<userId>`. It is the
// source of truth for the UI: the socket client writes server events into it
// and the screens read from it, so history shows without a network.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ErrorCode } from '../../../protocol/errors';
import type { Envelope } from '../../../protocol/envelope';
import type { PublicProfile } from '../../../protocol/api';

/** Version 2 added the `identities` store for end-to-end encryption. */
const DB_VERSION = 2;

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
  | { type: 'key_change' };

/** What the outbox sends: a chat text, or the control message of a session repair, which shows nowhere. */
export type OutgoingContent = { type: 'text'; text: string } | { type: 'session_reset' };

/** What decrypting a received message gives: content to store, or a control message that stores nothing. */
export type ReceivedContent = Exclude<LocalContent, { type: 'key_change' }> | { type: 'control' };

export interface StoredMessage {
  /** Primary key: the server's message id once stored there, the client id (cid) before. */
  key: string;
  /** The server's message id, null until the server acknowledged the message. */
  id: string | null;
  cid: string;
  conversationId: string;
  from: string;
  to: string;
  content: LocalContent;
  /** Server time in ms since the epoch; the local clock while the message is pending. */
  ts: number;
  /** Seq of the message in this account's inbox; absent while pending or failed. */
  seq?: number;
  status: MessageStatus;
  failure?: SendFailure;
}

export interface MessagePreview {
  /** Client id of the previewed message: an ack or event for it updates the preview in place. */
  cid: string;
  /** Start of the message text; null for content shown without text, such as a message this device cannot read. */
  text: string | null;
  from: string;
  status: MessageStatus;
}

export interface StoredConversation {
  id: string;
  /** The other participant; the own user id in a note-to-self conversation. */
  peerId: string;
  lastMessage: MessagePreview | null;
  /** Time of the newest message, local clock for a pending one; sorts the conversation list. */
  lastActivity: number;
  unread: number;
  /** Inbox seq up to which this account has read the conversation, on any device. */
  lastReadSeq: number;
  /** Highest read seq the server has: sent in a `read` frame or received as a `read` event. */
  sentReadSeq: number;
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
      'by-cid': string;
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
}

export type FeigeDb = IDBPDatabase<FeigeSchema>;

export function databaseName(userId: string): string {
  return `feige-${userId}`;
}

export async function openFeigeDb(userId: string): Promise<FeigeDb> {
  return openDB<FeigeSchema>(databaseName(userId), DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) createFirstStores(db);
      if (oldVersion < 2) db.createObjectStore('identities', { keyPath: 'userId' });
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

/** Returns the newest inbox seq stored locally, or 0 before the first event. */
export async function readLastSeq(db: FeigeDb): Promise<number> {
  return (await db.get('meta', 'lastSeq')) ?? 0;
}
