// The pieces of the library the app builds on for exactly-once decryption
// and session repair: receipts written with the ratchet step, restarting a
// session, empty envelopes, and wire sizes shared with protocol/.

import { describe, expect, it } from 'vitest';
import * as wire from '../../protocol/envelope';
import { decryptEnvelope, readReceipt } from '../../web/app/crypto/decrypt-envelope';
import { encryptEnvelope } from '../../web/app/crypto/encrypt-envelope';
import { DecryptError } from '../../web/app/crypto/errors';
import { PREKEY_ID_MAX } from '../../web/app/crypto/identity';
import { PAYLOAD_MAX_BYTES } from '../../web/app/crypto/payload';
import { AES_GCM_TAG_BYTES, KEY_BYTES, SIGNATURE_BYTES } from '../../web/app/crypto/primitives';
import { HEADER_BYTES } from '../../web/app/crypto/ratchet-header';
import { awaitingReply, restartSession } from '../../web/app/crypto/session-restart';
import { bundleServer, createTestDevice } from './helpers';

describe('decrypt receipts', () => {
  it('receipt serves a second decrypt', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = await encryptEnvelope(alice.store, { kind: 'text', text: 'once' }, ['bob-phone'], bundleServer(bob));

    const first = await decryptEnvelope(bob.store, envelope, { receiptKey: 'm-1' });
    const again = decryptEnvelope(bob.store, envelope);

    await expect(again).rejects.toBeInstanceOf(DecryptError);
    expect(await readReceipt(bob.store, 'm-1')).toEqual(first);
  });

  it('no receipt without a key', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = await encryptEnvelope(alice.store, { kind: 'text', text: 'plain' }, ['bob-phone'], bundleServer(bob));

    await decryptEnvelope(bob.store, envelope);

    expect(await readReceipt(bob.store, 'm-1')).toBeUndefined();
  });

  it('failed decrypt writes no receipt', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = await encryptEnvelope(alice.store, { kind: 'text', text: 'x' }, ['bob-phone'], bundleServer(bob));
    const entry = envelope.recipients[0]!;
    const broken = { ...envelope, recipients: [{ ...entry, ciphertext: 'A'.repeat(entry.ciphertext.length) }] };

    await expect(decryptEnvelope(bob.store, broken, { receiptKey: 'm-1' })).rejects.toBeInstanceOf(DecryptError);

    expect(await readReceipt(bob.store, 'm-1')).toBeUndefined();
  });

  it('deleted receipts are gone', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = await encryptEnvelope(alice.store, { kind: 'text', text: 'x' }, ['bob-phone'], bundleServer(bob));
    await decryptEnvelope(bob.store, envelope, { receiptKey: 'm-1' });

    await bob.store.deleteReceipts(['m-1']);

    expect(await readReceipt(bob.store, 'm-1')).toBeUndefined();
  });
});

describe('session restart', () => {
  it('restarted session reaches the peer', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const hello = await encryptEnvelope(alice.store, { kind: 'text', text: 'hello' }, ['bob-phone'], bundleServer(bob));
    await decryptEnvelope(bob.store, hello);

    await restartSession(bob.store, 'alice-phone', alice.nextBundle());
    const reset = await encryptEnvelope(bob.store, { kind: 'session_reset' }, ['alice-phone'], bundleServer(alice));
    const received = await decryptEnvelope(alice.store, reset);
    const next = await encryptEnvelope(alice.store, { kind: 'text', text: 'next' }, ['bob-phone'], bundleServer(bob));

    expect(reset.recipients[0]!.type).toBe('prekey');
    expect(received.payload).toEqual({ kind: 'session_reset' });
    expect((await decryptEnvelope(bob.store, next)).payload).toEqual({ kind: 'text', text: 'next' });
  });

  it('awaits the reply of the peer', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    await restartSession(bob.store, 'alice-phone', alice.nextBundle());
    const before = await awaitingReply(bob.store, 'alice-phone');

    const reset = await encryptEnvelope(bob.store, { kind: 'session_reset' }, ['alice-phone'], bundleServer(alice));
    await decryptEnvelope(alice.store, reset);
    const answer = await encryptEnvelope(alice.store, { kind: 'text', text: 'ok' }, ['bob-phone'], bundleServer(bob));
    await decryptEnvelope(bob.store, answer);

    expect(before).toBe(true);
    expect(await awaitingReply(bob.store, 'alice-phone')).toBe(false);
  });

  it('older session still decrypts', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const hello = await encryptEnvelope(alice.store, { kind: 'text', text: 'hello' }, ['bob-phone'], bundleServer(bob));
    await decryptEnvelope(bob.store, hello);
    const inFlight = await encryptEnvelope(alice.store, { kind: 'text', text: 'in flight' }, ['bob-phone'], bundleServer(bob));

    await restartSession(bob.store, 'alice-phone', alice.nextBundle());

    expect((await decryptEnvelope(bob.store, inFlight)).payload).toEqual({ kind: 'text', text: 'in flight' });
  });
});

describe('envelope edges', () => {
  it('no devices gives an empty envelope', async () => {
    const alice = await createTestDevice('alice-phone');

    const envelope = await encryptEnvelope(alice.store, { kind: 'text', text: 'note' }, [], bundleServer());

    expect(envelope).toEqual({ v: 1, senderDevice: 'alice-phone', recipients: [] });
  });

  it('empty envelope is not for this device', async () => {
    const bob = await createTestDevice('bob-phone');

    const attempt = decryptEnvelope(bob.store, { v: 1, senderDevice: 'alice-phone', recipients: [] });

    await expect(attempt).rejects.toMatchObject({ reason: 'not_for_this_device' });
  });

  it('library sizes match the wire format', () => {
    expect(wire.PUBLIC_KEY_BYTES).toBe(KEY_BYTES);
    expect(wire.SIGNATURE_BYTES).toBe(SIGNATURE_BYTES);
    expect(wire.RATCHET_HEADER_BYTES).toBe(HEADER_BYTES);
    expect(wire.AES_GCM_TAG_BYTES).toBe(AES_GCM_TAG_BYTES);
    expect(wire.PAYLOAD_MAX_BYTES).toBe(PAYLOAD_MAX_BYTES);
    expect(wire.PREKEY_ID_MAX).toBe(PREKEY_ID_MAX);
  });
});
