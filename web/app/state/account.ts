// The running account: its local database, its socket client and the
// signals the screens read. Started after sign-in or on load with a stored
// session, stopped on sign-out or when the server ends the session.

import { signal } from '@preact/signals';
import type { ServerKickedFrame } from '../../../protocol/frames';
import type { IndexedDbCryptoStore } from '../crypto/session-store';
import type { DecryptWorker } from '../e2e/decrypt-client';
import type { EndToEnd } from '../e2e/end-to-end';
import { configureApi } from '../net/http';
import type { ConnectionState, SocketClient } from '../net/socket';
import { databaseName, openFeigeDb, type FeigeDb } from '../store/db';
import type { GroupStreams } from './group-streams';
import { resetGroupNotices } from './group-notices';
import { loadCachedProfiles, profiles } from './profiles';
import { observeInboxEvents, refreshSettings, resetRelations, withEventObserver } from './relations';
import { navigate } from './route';
import { clearSession, session, signOutNotice, watchOtherTabs, type StoredSession } from './session';

export interface Account {
  userId: string;
  username: string;
  db: FeigeDb;
  /** Keys and sessions of this browser's device for the account, `feige-crypto-<userId>`. */
  cryptoStore: IndexedDbCryptoStore;
  /** Decrypts received 1:1 messages on another thread. */
  decryptWorker: DecryptWorker;
  e2e: EndToEnd;
  client: SocketClient;
  /** The live sockets of the account's `pull` groups. */
  groupStreams: GroupStreams;
}

export const account = signal<Account | null>(null);

export const connectionState = signal<ConnectionState>('connecting');

/**
 * Bumped after every write to the local database, in this tab or another tab
 * of the same account. Views read it to know when to reload from IndexedDB.
 */
export const dataVersion = signal(0);

let channel: BroadcastChannel | null = null;
let starting: Promise<void> | null = null;

configureApi({
  token: () => session.value?.token ?? null,
  onUnauthorized: () => endSession(null),
});

watchOtherTabs((next) => {
  if (next?.token === session.value?.token) return;
  if (next === null) {
    endSession(null);
    return;
  }
  // Another tab signed in as someone else: start over with that session.
  location.reload();
});

/** Opens the database and the socket of a session; a second call for the same session waits for the first. */
export function startAccount(stored: StoredSession): Promise<void> {
  if (account.value?.userId === stored.userId) return Promise.resolve();
  starting ??= openAccount(stored).finally(() => {
    starting = null;
  });
  return starting;
}

/** Notes a local change for every view of this account, in all tabs. */
export function notifyChanged(): void {
  dataVersion.value++;
  channel?.postMessage('changed');
}

/** Stops the account and returns to sign-in; `kicked` shows why. Local data stays for the next sign-in. */
export function endSession(kicked: ServerKickedFrame['reason'] | null): void {
  stopAccount();
  clearSession();
  signOutNotice.value = kicked;
  navigate({ name: 'signin' }, { replace: true });
}

function stopAccount(): void {
  const running = account.value;
  account.value = null;
  channel?.close();
  channel = null;
  if (!running) return;

  running.client.stop();
  running.groupStreams.stop();
  running.decryptWorker.terminate();
  running.db.close();
  running.cryptoStore.close();
  profiles.value = new Map();
  resetRelations();
  resetGroupNotices();
}

async function openAccount(stored: StoredSession): Promise<void> {
  // The sign-in screen needs none of the account's runtime code, so it loads here, while the database opens.
  const [db, runtime] = await Promise.all([openFeigeDb(stored.userId), import('./account-runtime')]);
  const { DecryptWorker, EndToEnd, GroupStreams, SocketClient, createInboxStore, httpKeyDirectory } = runtime;
  const { browserNetwork, openBrowserSocket, openSessionStore, runWithWebLock, socketUrl, groupSocketUrl } = runtime;
  const cryptoDatabase = `feige-crypto-${stored.userId}`;
  const cryptoStore = await openSessionStore(cryptoDatabase);
  if (session.value?.userId !== stored.userId) {
    db.close();
    cryptoStore.close();
    return;
  }

  channel = new BroadcastChannel(`feige-${stored.userId}`);
  channel.onmessage = () => dataVersion.value++;

  const decryptWorker = new DecryptWorker({ cryptoStore, cryptoDatabase, db, accountDatabase: databaseName(stored.userId) });
  const e2e = new EndToEnd({
    me: stored.userId,
    store: cryptoStore,
    db,
    directory: httpKeyDirectory,
    withLock: runWithWebLock,
    changed: notifyChanged,
    flush: () => void client.flushOutbox(),
    openDirect: decryptWorker.open,
  });
  const store = createInboxStore(db, stored.userId, notifyChanged, e2e);
  const groupStreams = new GroupStreams({
    token: stored.token,
    store,
    openSocket: openBrowserSocket,
    socketUrl: (groupId) => groupSocketUrl(location, groupId),
  });
  const observeEvents = (events: Parameters<typeof observeInboxEvents>[0]) => {
    observeInboxEvents(events);
    // A joined or ended membership may add or remove a group socket.
    if (events.some((event) => event.kind === 'group')) refreshGroupStreams(groupStreams);
  };
  const client: SocketClient = new SocketClient({
    url: socketUrl(location),
    token: stored.token,
    userId: stored.userId,
    store: withEventObserver(store, observeEvents),
    crypto: e2e,
    openSocket: openBrowserSocket,
    network: browserNetwork,
    withLock: runWithWebLock,
    listener: {
      state: (state) => (connectionState.value = state),
      kicked: (reason) => endSession(reason),
      unauthorized: () => endSession(null),
    },
  });

  const opened: Account = { userId: stored.userId, username: stored.username, db, cryptoStore, decryptWorker, e2e, client, groupStreams };
  await loadCachedProfiles(opened);
  account.value = opened;
  client.start();
  connectionState.value = client.state;
  refreshGroupStreams(groupStreams);
  void refreshSettings();
}

function refreshGroupStreams(streams: GroupStreams): void {
  streams.refresh().catch((error: unknown) => console.error('[groups] opening group streams failed', error));
}
