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
  startKnownSessionStep,
  tamperedField,
  type DecryptedEnvelope,
  type SealedMessage,
  type StartedStep,
  type StepResult,
} from './decrypt-envelope';
import type { Bytes } from './bytes';
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
  // The same bytes for every item: one sender device to this device.
  const context = deviceContext(senderDevice, own.deviceId);

  items.forEach((item, index) => {
    try {
      prepared.push({ index, receiptKey: item.receiptKey, ...seal(item.envelope, own.deviceId, senderDevice, context) });
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

function seal(value: unknown, ownDeviceId: string, senderDevice: string, context: Bytes): Omit<Prepared, 'index' | 'receiptKey'> {
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
      context,
    },
  };
}

/** The state of one update: the record after the steps so far, and their outcomes and receipts. */
interface Progress {
  record: PeerSessionRecord | undefined;
  /** The one-time prekey this update deletes, at most one per commit. */
  consumed: number | null;
  outcomes: StepOutcome[];
  receipts: DecryptReceipt[];
}

/**
 * Runs the ratchet steps of `batch` on one record and returns the record to
 * store. Messages under a known session go through startKnownSessionStep:
 * each step starts from the record the previous one left, and the AES-GCM
 * opens run in parallel. A step is kept only once its open succeeded, and
 * from the first one that did not, decryptStep redoes the work one message at
 * a time, so every outcome is the one decryptStep would give in order.
 * A commit deletes at most one one-time prekey, so the run ends before a
 * second step that uses one, and the caller starts another update for the
 * rest. A step that fails throws nothing here: its outcome records the error
 * and the record stays as before that step.
 */
async function stepAll(
  store: CryptoStore,
  own: StoredIdentity,
  initial: PeerSessionRecord | undefined,
  batch: readonly Prepared[],
  senderDevice: string,
): Promise<PeerRecordUpdate<StepOutcome[]>> {
  const progress: Progress = { record: initial, consumed: null, outcomes: [], receipts: [] };

  let position = 0;
  while (position < batch.length) {
    position += await stepStarted(progress, batch.slice(position), senderDevice);
    if (position >= batch.length) break;

    const done = await stepOne(store, own, progress, batch[position]!, senderDevice);
    if (!done) break;
    position++;
  }

  const record = progress.record;
  // Only failed steps and no record: nothing to store, and updatePeerRecord needs a record to write.
  if (!record) throw new BatchFailed(progress.outcomes);
  return { record, result: progress.outcomes, consumedOneTimePreKeyId: progress.consumed, receipts: progress.receipts };
}

/**
 * Starts the steps of the leading items that decrypt under a known session,
 * then keeps them in order up to the first whose open failed. Returns how
 * many items it settled.
 */
async function stepStarted(progress: Progress, items: readonly Prepared[], senderDevice: string): Promise<number> {
  const started: StartedStep[] = [];
  let record = progress.record;
  for (const item of items) {
    const step = await startKnownSessionStep(record, item.entry, item.sealed);
    if (!step) break;
    started.push(step);
    record = step.record;
  }

  const plaintexts = await Promise.all(started.map((step) => step.plaintext));
  for (let index = 0; index < started.length; index++) {
    const plaintext = plaintexts[index];
    if (!plaintext) return index;

    const step = started[index]!;
    const result: StepResult = { plaintext, senderIdentity: step.senderIdentity, identityChanged: false };
    progress.record = step.record;
    progress.outcomes.push({ ok: true, result });
    progress.receipts.push({ key: items[index]!.receiptKey, senderDevice, ...result });
  }
  return started.length;
}

/** Runs decryptStep on one item; returns false, leaving the item undone, when it would use a second one-time prekey. */
async function stepOne(
  store: CryptoStore,
  own: StoredIdentity,
  progress: Progress,
  item: Prepared,
  senderDevice: string,
): Promise<boolean> {
  let step;
  try {
    step = await decryptStep(store, own, progress.record, item.entry, senderDevice, item.sealed);
  } catch (error) {
    if (!(error instanceof DecryptError)) throw error;
    progress.outcomes.push({ ok: false, error });
    return true;
  }

  const usesPreKey = step.consumedOneTimePreKeyId !== undefined && step.consumedOneTimePreKeyId !== null;
  if (usesPreKey && progress.consumed !== null) return false;
  if (usesPreKey) progress.consumed = step.consumedOneTimePreKeyId!;

  progress.record = step.record;
  progress.outcomes.push({ ok: true, result: step.result });
  progress.receipts.push({ key: item.receiptKey, senderDevice, ...step.result });
  return true;
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
