// Decrypts several envelopes from one sender device in one update of that
// device's session record: one read, the ratchet steps in memory, and one
// commit with every receipt. Decrypting them one by one costs a Web Lock and
// three IndexedDB transactions per message, each cloning the whole record,
// which made a catch-up of 10,000 messages take over a minute in Chromium.

import {
  requireIdentity,
  type CryptoStore,
  type DecryptReceipt,
  type PeerRecordStep,
  type PeerRecordUpdate,
  type StoredIdentity,
} from './crypto-store';
import {
  decryptStep,
  tamperedField,
  type DecryptedEnvelope,
  type SealedMessage,
  type StepResult,
} from './decrypt-envelope';
import { deviceContext, entryForDevice, parseEnvelope, type RecipientEntry } from './envelope';
import { DecryptError, InvalidPayloadError } from './errors';
import { decodePayload } from './payload';
import { decodeField } from './schemas';
import type { PeerSessionRecord } from './session-record';

export interface BatchItem {
  envelope: unknown;
  /** Key of the receipt stored with the ratchet step, as DecryptOptions.receiptKey. */
  receiptKey: string;
}

/** Per item, what decryptEnvelope would have returned or thrown. */
export type BatchOutcome = { ok: true; decrypted: DecryptedEnvelope } | { ok: false; error: unknown };

interface Prepared {
  index: number;
  receiptKey: string;
  entry: RecipientEntry;
  sealed: SealedMessage;
}

type StepOutcome = { ok: true; result: StepResult } | { ok: false; error: DecryptError };

/**
 * Decrypts `items`, all sent by `senderDevice`, in order. The outcome of
 * each item equals that of decryptEnvelope on the same sequence of calls:
 * a failed item leaves the record as it was and the next item continues from
 * there. Errors other than DecryptError and InvalidPayloadError are thrown.
 */
export async function decryptEnvelopesFrom(
  store: CryptoStore,
  senderDevice: string,
  items: readonly BatchItem[],
): Promise<BatchOutcome[]> {
  const own = await requireIdentity(store);
  const outcomes: (BatchOutcome | undefined)[] = new Array(items.length);
  const prepared: Prepared[] = [];

  items.forEach((item, index) => {
    try {
      prepared.push({ index, receiptKey: item.receiptKey, ...seal(item.envelope, own.deviceId, senderDevice) });
    } catch (error) {
      if (!(error instanceof DecryptError)) throw error;
      outcomes[index] = { ok: false, error };
    }
  });

  let next = 0;
  while (next < prepared.length) {
    const batch = prepared.slice(next);
    const steps = await updateOrFail(store, senderDevice, (record) => stepAll(store, own, record, batch, senderDevice));
    steps.forEach((step, offset) => (outcomes[batch[offset]!.index] = toOutcome(step, senderDevice)));
    next += steps.length;
  }
  return outcomes.map((outcome) => outcome!);
}

async function updateOrFail(
  store: CryptoStore,
  senderDevice: string,
  step: PeerRecordStep<StepOutcome[]>,
): Promise<StepOutcome[]> {
  try {
    return await store.updatePeerRecord(senderDevice, step);
  } catch (error) {
    if (error instanceof BatchFailed) return error.outcomes;
    throw error;
  }
}

function seal(value: unknown, ownDeviceId: string, senderDevice: string): Omit<Prepared, 'index' | 'receiptKey'> {
  const envelope = parseEnvelope(value);
  if (envelope.senderDevice !== senderDevice) {
    throw new DecryptError('tampered', `an envelope of device ${envelope.senderDevice} was in a batch of device ${senderDevice}`);
  }
  const entry = entryForDevice(envelope, ownDeviceId);
  return {
    entry,
    sealed: {
      header: decodeField(entry.header, 'header', tamperedField),
      ciphertext: decodeField(entry.ciphertext, 'ciphertext', tamperedField),
      context: deviceContext(senderDevice, ownDeviceId),
    },
  };
}

/**
 * Runs the ratchet steps of `batch` on one record and returns the record to
 * store. A commit deletes at most one one-time prekey, so the run ends
 * before a second step that uses one, and the caller starts another update
 * for the rest. A step that fails throws nothing here: its outcome records
 * the error and the record stays as before that step.
 */
async function stepAll(
  store: CryptoStore,
  own: StoredIdentity,
  initial: PeerSessionRecord | undefined,
  batch: readonly Prepared[],
  senderDevice: string,
): Promise<PeerRecordUpdate<StepOutcome[]>> {
  let record = initial;
  let consumed: number | null = null;
  const outcomes: StepOutcome[] = [];
  const receipts: DecryptReceipt[] = [];

  for (const item of batch) {
    let step;
    try {
      step = await decryptStep(store, own, record, item.entry, senderDevice, item.sealed);
    } catch (error) {
      if (!(error instanceof DecryptError)) throw error;
      outcomes.push({ ok: false, error });
      continue;
    }

    const usesPreKey = step.consumedOneTimePreKeyId !== undefined && step.consumedOneTimePreKeyId !== null;
    if (usesPreKey && consumed !== null) break;
    if (usesPreKey) consumed = step.consumedOneTimePreKeyId!;

    record = step.record;
    outcomes.push({ ok: true, result: step.result });
    receipts.push({ key: item.receiptKey, senderDevice, ...step.result });
  }

  // Only failed steps and no record: nothing to store, and updatePeerRecord needs a record to write.
  if (!record) throw new BatchFailed(outcomes);
  return { record, result: outcomes, consumedOneTimePreKeyId: consumed, receipts };
}

function toOutcome(step: StepOutcome, senderDevice: string): BatchOutcome {
  if (!step.ok) return step;
  try {
    const payload = decodePayload(step.result.plaintext);
    return {
      ok: true,
      decrypted: { senderDevice, senderIdentity: step.result.senderIdentity, payload, identityChanged: step.result.identityChanged },
    };
  } catch (error) {
    if (!(error instanceof InvalidPayloadError)) throw error;
    return { ok: false, error };
  }
}

class BatchFailed extends Error {
  constructor(readonly outcomes: StepOutcome[]) {
    super('no envelope of the batch decrypted');
  }
}
