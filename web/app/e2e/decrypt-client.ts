// The page's side of the decrypt worker (decrypt-worker.ts): a DirectOpener
// that sends each sender device's messages to the worker. Where workers are
// missing, or the worker fails, the messages open on the page instead. A
// request that was in the worker when it failed opens again on the page,
// which is safe: the worker's commits left receipts, and an aborted commit
// left nothing.

import type { IndexedDbCryptoStore } from '../crypto/session-store';
import { readLastSeq, type FeigeDb } from '../store/db';
import { fromWireOutcome, type OpenReply, type OpenRequest } from './decrypt-wire';
import { openFromSender, type DirectMessage, type DirectOpener, type DirectOutcome } from './open-direct';

export interface DecryptWorkerOptions {
  cryptoStore: IndexedDbCryptoStore;
  cryptoDatabase: string;
  db: FeigeDb;
  accountDatabase: string;
  /** Starts the worker. The default loads decrypt-worker.ts as a module worker. */
  createWorker?: () => Worker;
}

interface Pending {
  senderDevice: string;
  messages: DirectMessage[];
  resolve(outcomes: DirectOutcome[]): void;
  reject(error: unknown): void;
}

export class DecryptWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly options: DecryptWorkerOptions) {
    const create = options.createWorker ?? (typeof Worker === 'undefined' ? null : defaultWorker);
    try {
      this.worker = create ? create() : null;
    } catch (error) {
      console.warn('[e2e] the decrypt worker did not start; messages open on the page', error);
    }
    if (!this.worker) return;

    this.worker.onmessage = (event: MessageEvent<OpenReply>) => this.settle(event.data);
    this.worker.onerror = (event) => this.fail(`the decrypt worker failed: ${event.message}`);
    this.worker.onmessageerror = () => this.fail('a reply of the decrypt worker could not be read');
  }

  readonly open: DirectOpener = (senderDevice, messages) => {
    const worker = this.worker;
    if (!worker) return this.openHere(senderDevice, messages);

    const id = this.nextId++;
    const request: OpenRequest = {
      id,
      cryptoDatabase: this.options.cryptoDatabase,
      accountDatabase: this.options.accountDatabase,
      senderDevice,
      messages: [...messages],
    };
    return new Promise<DirectOutcome[]>((resolve, reject) => {
      this.pending.set(id, { senderDevice, messages: request.messages, resolve, reject });
      worker.postMessage(request);
    });
  };

  /** Stops the worker on sign-out and rejects the requests it still has. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const pending of this.pending.values()) pending.reject(new Error('the account stopped while messages were opening'));
    this.pending.clear();
  }

  private settle(reply: OpenReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) {
      pending.resolve(reply.outcomes.map(fromWireOutcome));
      return;
    }

    // NOTE: a failure only the worker has, such as IndexedDB being unavailable to workers, fails each sync again and never falls back to the page.
    pending.reject(new Error(`the decrypt worker failed to open messages of device ${pending.senderDevice}: ${reply.message}`));
  }

  /** Gives up on the worker: later messages open on the page, and so do those it was opening. */
  private fail(reason: string): void {
    console.warn('[e2e] the decrypt worker stopped; messages open on the page from now on', reason);
    this.worker?.terminate();
    this.worker = null;
    const stranded = [...this.pending.values()];
    this.pending.clear();
    for (const pending of stranded) this.openHere(pending.senderDevice, pending.messages).then(pending.resolve, pending.reject);
  }

  private openHere(senderDevice: string, messages: readonly DirectMessage[]): Promise<DirectOutcome[]> {
    return openFromSender(this.options.cryptoStore, () => readLastSeq(this.options.db), senderDevice, messages);
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('./decrypt-worker.ts', import.meta.url), { type: 'module', name: 'feige-decrypt' });
}
