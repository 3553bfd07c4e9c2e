// The code that runs a signed-in account: the socket client, the inbox
// store, the group sockets and the end-to-end encryption. account.ts loads
// this module with `import()` while the account's database opens, so the
// sign-in screen never downloads it, and one module makes it one chunk.

export { openSessionStore } from '../crypto/session-store';
export { DecryptWorker } from '../e2e/decrypt-client';
export { EndToEnd } from '../e2e/end-to-end';
export { httpKeyDirectory } from '../e2e/key-directory';
export { groupSocketUrl } from '../net/group-stream';
export { SocketClient } from '../net/socket';
export { browserNetwork, openBrowserSocket, runWithWebLock, socketUrl } from '../net/socket-io';
export { createInboxStore } from '../store/inbox-store';
export { GroupStreams } from './group-streams';
