// Decrypting a run of one sender device's envelopes in one session update:
// each item ends as decryptEnvelope would have ended it, one by one.

import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { decryptEnvelopesFrom, type BatchOutcome } from '../../web/app/crypto/decrypt-batch';
import { decryptEnvelope, readReceipt } from '../../web/app/crypto/decrypt-envelope';
import { encryptEnvelope } from '../../web/app/crypto/encrypt-envelope';
import type { Envelope } from '../../web/app/crypto/envelope';
import { DecryptError } from '../../web/app/crypto/errors';
import { openSessionStore } from '../../web/app/crypto/session-store';
import { bundleServer, createTestDevice } from './helpers';

async function sendTexts(count: number) {
  const alice = await createTestDevice('alice-phone');
  const bob = await createTestDevice('bob-phone');
  const envelopes: Envelope[] = [];
  for (let i = 0; i < count; i++) {
    envelopes.push(await encryptEnvelope(alice.store, { kind: 'text', text: `text ${i}` }, ['bob-phone'], bundleServer(bob)));
  }
  return { alice, bob, envelopes };
}

/** Alice and Bob after one exchange each way, so Alice's next envelopes are plain ratchet messages on a new chain. */
async function establishedTexts(count: number) {
  const { alice, bob, envelopes } = await sendTexts(1);
  await decryptEnvelope(bob.store, envelopes[0]!);
  const reply = await encryptEnvelope(bob.store, { kind: 'text', text: 'reply' }, ['alice-phone'], bundleServer(alice));
  await decryptEnvelope(alice.store, reply);

  const later: Envelope[] = [];
  for (let i = 0; i < count; i++) {
    later.push(await encryptEnvelope(alice.store, { kind: 'text', text: `later ${i}` }, ['bob-phone'], bundleServer(bob)));
  }
  return { alice, bob, envelopes: later };
}

function textOf(outcome: BatchOutcome | undefined): string | undefined {
  if (!outcome?.ok || outcome.decrypted.payload.kind !== 'text') return undefined;
  return outcome.decrypted.payload.text;
}

function tamper(envelope: Envelope): Envelope {
  const entry = envelope.recipients[0]!;
  return { ...envelope, recipients: [{ ...entry, ciphertext: 'A'.repeat(entry.ciphertext.length) }] };
}

describe('batch decrypt', () => {
  it('decrypts a run in order', async () => {
    const { bob, envelopes } = await sendTexts(5);

    const items = envelopes.map((envelope, i) => ({ envelope, receiptKey: `m-${i}` }));
    const outcomes = await decryptEnvelopesFrom(bob.store, 'alice-phone', items);

    expect(outcomes.map(textOf)).toEqual(['text 0', 'text 1', 'text 2', 'text 3', 'text 4']);
  });

  it('stores a receipt per message', async () => {
    const { bob, envelopes } = await sendTexts(3);

    await decryptEnvelopesFrom(bob.store, 'alice-phone', envelopes.map((envelope, i) => ({ envelope, receiptKey: `m-${i}` })));

    for (let i = 0; i < 3; i++) {
      const receipt = await readReceipt(bob.store, `m-${i}`);
      expect(receipt?.payload).toEqual({ kind: 'text', text: `text ${i}` });
    }
    const read = await bob.store.getReceipts(['m-2', 'm-missing', 'm-0']);
    expect(read.map((receipt) => receipt?.key)).toEqual(['m-2', undefined, 'm-0']);
  });

  it('deleting some receipts keeps others', async () => {
    const { bob, envelopes } = await sendTexts(3);
    await decryptEnvelopesFrom(bob.store, 'alice-phone', envelopes.map((envelope, i) => ({ envelope, receiptKey: `m-${i}` })));

    await bob.store.deleteReceipts(['m-1']);

    const read = await bob.store.getReceipts(['m-0', 'm-1', 'm-2']);
    expect(read.map((receipt) => receipt?.key)).toEqual(['m-0', undefined, 'm-2']);
    await bob.store.deleteReceipts(['m-0', 'm-2']);
    expect(await bob.store.getReceipts(['m-0', 'm-2'])).toEqual([undefined, undefined]);
  });

  it('receipt of earlier layout still read', async () => {
    const { bob, envelopes } = await sendTexts(1);
    await decryptEnvelopesFrom(bob.store, 'alice-phone', [{ envelope: envelopes[0]!, receiptKey: 'm-0' }]);
    const [grouped] = await bob.store.getReceipts(['m-0']);
    // Before receipt groups, each receipt was a record of its own, keyed by its message.
    bob.store.close();
    const raw = await openDB(bob.databaseName);
    await raw.put('receipts', { ...grouped!, key: 'm-old' });
    raw.close();
    const store = await openSessionStore(bob.databaseName);

    expect((await store.getReceipts(['m-old', 'm-0'])).map((receipt) => receipt?.key)).toEqual(['m-old', 'm-0']);
    await store.deleteReceipts(['m-old']);
    expect((await store.getReceipts(['m-old', 'm-0'])).map((receipt) => receipt?.key)).toEqual([undefined, 'm-0']);
    store.close();
  });

  it('tampered message fails alone', async () => {
    const { bob, envelopes } = await sendTexts(4);
    envelopes[1] = tamper(envelopes[1]!);

    const outcomes = await decryptEnvelopesFrom(bob.store, 'alice-phone', envelopes.map((envelope, i) => ({ envelope, receiptKey: `m-${i}` })));

    expect(outcomes.map(textOf)).toEqual(['text 0', undefined, 'text 2', 'text 3']);
    const failed = outcomes[1]!;
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error).toBeInstanceOf(DecryptError);
    expect(await readReceipt(bob.store, 'm-1')).toBeUndefined();
  });

  it('repeated message fails as replayed', async () => {
    const { bob, envelopes } = await sendTexts(2);
    const items = [envelopes[0]!, envelopes[1]!, envelopes[1]!].map((envelope, i) => ({ envelope, receiptKey: `m-${i}` }));

    const outcomes = await decryptEnvelopesFrom(bob.store, 'alice-phone', items);

    expect(outcomes.map(textOf)).toEqual(['text 0', 'text 1', undefined]);
    const replayed = outcomes[2]!;
    if (replayed.ok) throw new Error('the repeated message decrypted twice');
    expect(replayed.error).toBeInstanceOf(DecryptError);
    expect((replayed.error as DecryptError).reason).toBe('replayed');
  });

  it('only failures store nothing', async () => {
    const { bob, envelopes } = await sendTexts(1);

    const outcomes = await decryptEnvelopesFrom(bob.store, 'alice-phone', [{ envelope: tamper(envelopes[0]!), receiptKey: 'm-0' }]);

    expect(outcomes[0]!.ok).toBe(false);
    expect(await bob.store.getPeerRecord('alice-phone')).toBeUndefined();
  });

  it('other sender device is tampered', async () => {
    const { bob, envelopes } = await sendTexts(1);

    const outcomes = await decryptEnvelopesFrom(bob.store, 'carol-phone', [{ envelope: envelopes[0]!, receiptKey: 'm-0' }]);

    const outcome = outcomes[0]!;
    if (outcome.ok) throw new Error('an envelope of another device decrypted');
    expect((outcome.error as DecryptError).reason).toBe('tampered');
  });

  it('established session decrypts in parallel', async () => {
    const { bob, envelopes } = await establishedTexts(6);
    expect(envelopes[0]!.recipients[0]!.type).toBe('message');

    const outcomes = await decryptEnvelopesFrom(bob.store, 'alice-phone', envelopes.map((envelope, i) => ({ envelope, receiptKey: `m-${i}` })));

    expect(outcomes.map(textOf)).toEqual(['later 0', 'later 1', 'later 2', 'later 3', 'later 4', 'later 5']);
  });

  it('failures on established session match one by one', async () => {
    const { alice, bob, envelopes } = await establishedTexts(6);
    // Out of order, a tampered copy before the real one, and a repeat: each ends as a single decrypt would end it.
    const sequence = [envelopes[0]!, envelopes[2]!, tamper(envelopes[1]!), envelopes[1]!, envelopes[1]!, envelopes[4]!, envelopes[3]!];

    const outcomes = await decryptEnvelopesFrom(bob.store, 'alice-phone', sequence.map((envelope, i) => ({ envelope, receiptKey: `m-${i}` })));

    expect(outcomes.map(textOf)).toEqual(['later 0', 'later 2', undefined, 'later 1', undefined, 'later 4', 'later 3']);
    const tampered = outcomes[2]!;
    if (tampered.ok) throw new Error('the tampered envelope decrypted');
    expect((tampered.error as DecryptError).reason).toBe('tampered');
    const repeated = outcomes[4]!;
    if (repeated.ok) throw new Error('the repeated envelope decrypted twice');
    expect((repeated.error as DecryptError).reason).toBe('replayed');

    const next = await encryptEnvelope(alice.store, { kind: 'text', text: 'after' }, ['bob-phone'], bundleServer(bob));
    const stored = await decryptEnvelopesFrom(bob.store, 'alice-phone', [{ envelope: envelopes[5]!, receiptKey: 'm-5' }, { envelope: next, receiptKey: 'm-next' }]);
    expect(stored.map(textOf)).toEqual(['later 5', 'after']);
  });
});
