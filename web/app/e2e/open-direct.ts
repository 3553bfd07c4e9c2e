// Opens one sender device's 1:1 messages: a message with a receipt is read
// from it, one already stored is skipped, and the others go through the
// ratchet in one batch. It reads only the crypto store and the account's
// lastSeq, so it runs in the decrypt worker (decrypt-worker.ts) as well as
// on the page.

import type { CryptoStore, DecryptReceipt } from '../crypto/crypto-store';
import { decryptEnvelopesFrom } from '../crypto/decrypt-batch';
import { openReceipt, type DecryptedEnvelope } from '../crypto/decrypt-envelope';

/** A 1:1 message as the opening needs it: its id (also its receipt key), inbox seq and envelope. */
export interface DirectMessage {
  id: string;
  seq: number;
  envelope: unknown;
}

export type DirectOutcome =
  | { kind: 'decrypted'; decrypted: DecryptedEnvelope }
  | { kind: 'failed'; error: unknown }
  /** Stored before, by this tab or another: nothing to open. */
  | { kind: 'stored' };

/** Opens one sender device's messages; the caller holds that device's receive lock. */
export type DirectOpener = (senderDevice: string, messages: readonly DirectMessage[]) => Promise<DirectOutcome[]>;

/**
 * Returns an outcome per message, in order. Every receipt is read first; a
 * message without one decrypts. Only when a decrypt fails is lastSeq read,
 * to tell a message that this tab or another stored already (its receipt
 * deleted after the store committed, its key spent) from one that is broken.
 * A failed decrypt leaves the session as it was, so trying a stored message
 * first changes nothing. lastSeq is read only then because its transaction
 * waits for the one storing the page before, which would hold up a page
 * that decrypts ahead.
 */
export async function openFromSender(
  store: CryptoStore,
  readLastSeq: () => Promise<number>,
  senderDevice: string,
  messages: readonly DirectMessage[],
): Promise<DirectOutcome[]> {
  const outcomes: (DirectOutcome | undefined)[] = new Array(messages.length);
  const receipts = await store.getReceipts(messages.map((message) => message.id));
  const missing: number[] = [];
  receipts.forEach((receipt, index) => {
    if (receipt) outcomes[index] = receiptOutcome(receipt);
    else missing.push(index);
  });
  if (missing.length === 0) return outcomes as DirectOutcome[];

  const items = missing.map((index) => ({ envelope: messages[index]!.envelope, receiptKey: messages[index]!.id }));
  const results = await decryptEnvelopesFrom(store, senderDevice, items);
  let lastSeq: number | undefined;
  for (const [at, result] of results.entries()) {
    const index = missing[at]!;
    if (result.ok) {
      outcomes[index] = { kind: 'decrypted', decrypted: result.decrypted };
      continue;
    }
    lastSeq ??= await readLastSeq();
    outcomes[index] = messages[index]!.seq <= lastSeq ? { kind: 'stored' } : { kind: 'failed', error: result.error };
  }
  return outcomes as DirectOutcome[];
}

function receiptOutcome(receipt: DecryptReceipt): DirectOutcome {
  try {
    return { kind: 'decrypted', decrypted: openReceipt(receipt) };
  } catch (error) {
    return { kind: 'failed', error };
  }
}
