// The decrypt worker: opens 1:1 messages off the page's thread, so that in
// a catch-up one page decrypts while the page stores the one before it.
// It keeps its own connections to the crypto store and to the account's
// database. The crypto store takes several writers, as it does with several
// tabs: each session update runs under a Web Lock and commits with a
// compare-and-swap, and the page holds the sender's receive lock meanwhile.

import { openDB } from 'idb';
import { openSessionStore, type IndexedDbCryptoStore } from '../crypto/session-store';
import { readLastSeq, type FeigeDb, type FeigeSchema } from '../store/db';
import { toWireOutcome, type OpenReply, type OpenRequest } from './decrypt-wire';
import { openFromSender } from './open-direct';

/** The part of a dedicated worker's global scope this file uses; the app's types are the page's (lib "DOM"). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<OpenRequest>) => void) | null;
  postMessage(reply: OpenReply): void;
}

const scope = globalThis as unknown as WorkerScope;
const cryptoStores = new Map<string, Promise<IndexedDbCryptoStore>>();
const accountDbs = new Map<string, Promise<FeigeDb>>();

scope.onmessage = (event) => void answer(event.data);

async function answer(request: OpenRequest): Promise<void> {
  let reply: OpenReply;
  try {
    const store = await cryptoStoreOf(request.cryptoDatabase);
    const lastSeq = async () => readLastSeq(await accountDbOf(request.accountDatabase));
    const outcomes = await openFromSender(store, lastSeq, request.senderDevice, request.messages);
    reply = { id: request.id, ok: true, outcomes: outcomes.map(toWireOutcome) };
  } catch (error) {
    console.error('[decrypt-worker] opening messages failed', { senderDevice: request.senderDevice, error });
    reply = { id: request.id, ok: false, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  scope.postMessage(reply);
}

function cryptoStoreOf(name: string): Promise<IndexedDbCryptoStore> {
  let store = cryptoStores.get(name);
  if (!store) {
    store = openSessionStore(name);
    cryptoStores.set(name, store);
  }
  return store;
}

/**
 * Opens the account's database at whatever version the page created, only
 * to read lastSeq. It closes when the page upgrades it, and the next
 * request opens it again.
 */
function accountDbOf(name: string): Promise<FeigeDb> {
  let db = accountDbs.get(name);
  if (!db) {
    db = openDB<FeigeSchema>(name, undefined, {
      blocking() {
        accountDbs.delete(name);
        void db?.then((open) => open.close());
      },
    });
    accountDbs.set(name, db);
  }
  return db;
}
