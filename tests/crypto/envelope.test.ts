// Envelopes end to end: devices with their own fake IndexedDB stores
// encrypt for each other through a bundle server, as the PWA will.

import { describe, expect, it } from 'vitest';
import { TEXT_MAX_BYTES } from '../../protocol/limits';
import { fromBase64Url, toBase64Url } from '../../web/app/crypto/bytes';
import { decryptEnvelope } from '../../web/app/crypto/decrypt-envelope';
import { encryptEnvelope } from '../../web/app/crypto/encrypt-envelope';
import {
  DEVICE_ID_MAX_LENGTH,
  ENVELOPE_RECIPIENTS_MAX,
  parseEnvelope,
  type Envelope,
} from '../../web/app/crypto/envelope';
import { InvalidPayloadError } from '../../web/app/crypto/errors';
import { generateDeviceIdentity, identityDhKeyMessage } from '../../web/app/crypto/identity';
import { decodePayload, encodePayload, PAYLOAD_MAX_BYTES, type Payload } from '../../web/app/crypto/payload';
import { identityKeysToWire } from '../../web/app/crypto/prekey-bundle';
import { ed25519Sign } from '../../web/app/crypto/primitives';
import { bundleServer, createTestDevice, toHex, type TestDevice } from './helpers';
import { expectDecryptError } from './ratchet-harness';

const text = (value: string): Payload => ({ kind: 'text', text: value });

/** Sends through JSON, as the envelope travels over the WebSocket. */
async function send(from: TestDevice, to: TestDevice[], value: string, server = bundleServer(...to)): Promise<unknown> {
  const envelope = await encryptEnvelope(from.store, text(value), to.map((device) => device.deviceId), server);
  return JSON.parse(JSON.stringify(envelope));
}

async function receive(device: TestDevice, envelope: unknown): Promise<string> {
  const decrypted = await decryptEnvelope(device.store, envelope);
  if (decrypted.payload.kind !== 'text') throw new Error(`expected text, got ${decrypted.payload.kind}`);
  return decrypted.payload.text;
}

describe('envelope sessions', () => {
  it('first message is a prekey message', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');

    const envelope = (await send(alice, [bob], 'hello')) as Envelope;
    expect(envelope.v).toBe(1);
    expect(envelope.senderDevice).toBe('alice-phone');
    expect(envelope.recipients[0]!.type).toBe('prekey');
    expect(await receive(bob, envelope)).toBe('hello');
  });

  it('conversation continues both ways', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');

    expect(await receive(bob, await send(alice, [bob], 'a0'))).toBe('a0');
    expect(await receive(alice, await send(bob, [alice], 'b0'))).toBe('b0');
    const reply = (await send(alice, [bob], 'a1')) as Envelope;
    expect(reply.recipients[0]!.type).toBe('message');
    expect(await receive(bob, reply)).toBe('a1');
  });

  it('initiator repeats prekey until answered', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');

    const first = (await send(alice, [bob], 'a0')) as Envelope;
    const second = (await send(alice, [bob], 'a1')) as Envelope;
    expect(second.recipients[0]!.type).toBe('prekey');
    expect(await receive(bob, second)).toBe('a1');
    expect(await receive(bob, first)).toBe('a0');
  });

  it('one-time prekey is consumed', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone', 2);

    await receive(bob, await send(alice, [bob], 'a0'));
    expect(await bob.store.countOneTimePreKeys()).toBe(1);
  });

  it('one envelope reaches several devices', async () => {
    const alice = await createTestDevice('alice-phone');
    const aliceDesktop = await createTestDevice('alice-desktop');
    const bob = await createTestDevice('bob-phone');
    const bobDesktop = await createTestDevice('bob-desktop');

    const envelope = await send(alice, [bob, bobDesktop, aliceDesktop], 'to all');
    expect(await receive(bob, envelope)).toBe('to all');
    expect(await receive(bobDesktop, envelope)).toBe('to all');
    expect(await receive(aliceDesktop, envelope)).toBe('to all');
  });

  it('simultaneous starts both decrypt', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');

    const fromAlice = await send(alice, [bob], 'a0');
    const fromBob = await send(bob, [alice], 'b0');
    expect(await receive(bob, fromAlice)).toBe('a0');
    expect(await receive(alice, fromBob)).toBe('b0');

    expect(await receive(bob, await send(alice, [bob], 'a1'))).toBe('a1');
    expect(await receive(alice, await send(bob, [alice], 'b1'))).toBe('b1');
    expect(await receive(bob, await send(alice, [bob], 'a2'))).toBe('a2');
  });

  it('reports sender identity', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');

    const decrypted = await decryptEnvelope(bob.store, await send(alice, [bob], 'a0'));
    expect(toHex(decrypted.senderIdentity.signingKey)).toBe(toHex(alice.keys.identity.publicKeys.signingKey));
    expect(decrypted.identityChanged).toBe(false);
  });

  it('reinstalled sender flags identity change', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    await receive(bob, await send(alice, [bob], 'a0'));

    const reinstalled = await createTestDevice('alice-phone');
    const decrypted = await decryptEnvelope(bob.store, await send(reinstalled, [bob], 'new keys'));
    expect(decrypted.identityChanged).toBe(true);
    expect(toHex(decrypted.senderIdentity.signingKey)).toBe(toHex(reinstalled.keys.identity.publicKeys.signingKey));
  });
});

describe('envelope decrypt errors', () => {
  it('other devices only is not_for_this_device', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const carol = await createTestDevice('carol-phone');

    const error = await expectDecryptError(decryptEnvelope(carol.store, await send(alice, [bob], 'not yours')), 'not_for_this_device');
    expect(error.message).toMatch(/bob-phone, not to carol-phone/);
  });

  it('unknown version is unsupported_version', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = (await send(alice, [bob], 'future')) as Envelope;

    await expectDecryptError(decryptEnvelope(bob.store, { ...envelope, v: 2 }), 'unsupported_version');
    await expectDecryptError(decryptEnvelope(bob.store, 'not an object'), 'unsupported_version');
  });

  it('message without session is no_session', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const carol = await createTestDevice('carol-phone');
    await receive(bob, await send(alice, [bob], 'a0'));
    await receive(alice, await send(bob, [alice], 'b0'));

    const envelope = (await send(alice, [bob], 'a1')) as Envelope;
    const readdressed = { ...envelope, recipients: [{ ...envelope.recipients[0]!, device: 'carol-phone' }] };
    await expectDecryptError(decryptEnvelope(carol.store, readdressed), 'no_session');
  });

  it('used one-time prekey is no_session', async () => {
    const alice = await createTestDevice('alice-phone');
    const mallory = await createTestDevice('mallory-phone');
    const bob = await createTestDevice('bob-phone', 1);
    const bundle = bob.nextBundle();
    const sameBundle = async () => bundle;

    await receive(bob, await send(alice, [bob], 'a0', sameBundle));
    const error = await expectDecryptError(decryptEnvelope(bob.store, await send(mallory, [bob], 'm0', sameBundle)), 'no_session');
    expect(error.message).toMatch(/one-time prekey 1 was already used/);
  });

  it('deleted signed prekey is no_session', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = await send(alice, [bob], 'a0');
    await bob.store.deleteSignedPreKey(1);

    const error = await expectDecryptError(decryptEnvelope(bob.store, envelope), 'no_session');
    expect(error.message).toMatch(/signed prekey 1 is unknown/);
  });

  it('replayed prekey message is replayed', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = await send(alice, [bob], 'a0');

    await receive(bob, envelope);
    await expectDecryptError(decryptEnvelope(bob.store, envelope), 'replayed');
  });

  it('relabelled sender is tampered', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = (await send(alice, [bob], 'a0')) as Envelope;

    await expectDecryptError(decryptEnvelope(bob.store, { ...envelope, senderDevice: 'alice-desktop' }), 'tampered');
  });

  it('unsigned initiator identity is bad_signature', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = (await send(alice, [bob], 'a0')) as Envelope;
    const entry = envelope.recipients[0]!;
    if (entry.type !== 'prekey') throw new Error('expected a prekey entry');

    const stranger = await generateDeviceIdentity();
    const forged = { ...entry, prekey: { ...entry.prekey, identity: { ...entry.prekey.identity, signingKey: identityKeysToWire(stranger.publicKeys).signingKey } } };
    await expectDecryptError(decryptEnvelope(bob.store, { ...envelope, recipients: [forged] }), 'bad_signature');
  });

  it('substituted signed identity is tampered', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = (await send(alice, [bob], 'a0')) as Envelope;
    const entry = envelope.recipients[0]!;
    if (entry.type !== 'prekey') throw new Error('expected a prekey entry');

    // A validly signed identity that did not take part in X3DH.
    const stranger = await generateDeviceIdentity();
    const signature = await ed25519Sign(stranger.signing.privateKey, identityDhKeyMessage(alice.keys.identity.publicKeys.dhKey));
    const identity = { ...identityKeysToWire(stranger.publicKeys), dhKey: entry.prekey.identity.dhKey, dhKeySignature: toBase64Url(signature) };
    const forged = { ...entry, prekey: { ...entry.prekey, identity } };
    await expectDecryptError(decryptEnvelope(bob.store, { ...envelope, recipients: [forged] }), 'tampered');
  });

  it('flipped ciphertext byte is tampered', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = (await send(alice, [bob], 'a0')) as Envelope;
    const entry = envelope.recipients[0]!;
    const ciphertext = fromBase64Url(entry.ciphertext);
    ciphertext[0]! ^= 1;

    const tampered = { ...envelope, recipients: [{ ...entry, ciphertext: toBase64Url(ciphertext) }] };
    await expectDecryptError(decryptEnvelope(bob.store, tampered), 'tampered');
    expect(await receive(bob, envelope)).toBe('a0');
  });

  it('malformed entry names the field', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = (await send(alice, [bob], 'a0')) as Envelope;
    const broken = { ...envelope, recipients: [{ ...envelope.recipients[0]!, header: 'short' }] };

    const error = await expectDecryptError(decryptEnvelope(bob.store, broken), 'tampered');
    expect(error.message).toMatch(/recipients\.0\.header/);
  });
});

describe('envelope limits', () => {
  it('ENVELOPE_RECIPIENTS_MAX devices works', async () => {
    const alice = await createTestDevice('alice-phone');
    const devices = await Promise.all(Array.from({ length: ENVELOPE_RECIPIENTS_MAX }, (_, i) => createTestDevice(`device-${i}`)));

    const envelope = await send(alice, devices, 'broadcast');
    expect(parseEnvelope(envelope).recipients.length).toBe(ENVELOPE_RECIPIENTS_MAX);
    expect(await receive(devices.at(-1)!, envelope)).toBe('broadcast');
  });

  it('one device past the maximum fails', async () => {
    const alice = await createTestDevice('alice-phone');
    const ids = Array.from({ length: ENVELOPE_RECIPIENTS_MAX + 1 }, (_, i) => `device-${i}`);
    await expect(encryptEnvelope(alice.store, text('too many'), ids, bundleServer())).rejects.toThrow(
      /17 recipient devices .*ENVELOPE_RECIPIENTS_MAX/,
    );
  });

  it('parse rejects too many recipients', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('bob-phone');
    const envelope = (await send(alice, [bob], 'a0')) as Envelope;
    const recipients = Array.from({ length: ENVELOPE_RECIPIENTS_MAX + 1 }, (_, i) => ({ ...envelope.recipients[0]!, device: `d${i}` }));

    const error = await expectDecryptError(decryptEnvelope(bob.store, { ...envelope, recipients }), 'tampered');
    expect(error.message).toMatch(/recipients: above the maximum 16/);
  });

  it('device id at the maximum works', async () => {
    const alice = await createTestDevice('alice-phone');
    const bob = await createTestDevice('b'.repeat(DEVICE_ID_MAX_LENGTH));
    expect(await receive(bob, await send(alice, [bob], 'long id'))).toBe('long id');
  });

  it('device id past the maximum fails', async () => {
    const alice = await createTestDevice('alice-phone');
    const id = 'b'.repeat(DEVICE_ID_MAX_LENGTH + 1);
    await expect(encryptEnvelope(alice.store, text('x'), [id], bundleServer())).rejects.toThrow(
      /has 65 characters, outside 1\.\.64 \(DEVICE_ID_MAX_LENGTH\)/,
    );
  });

  it('own device as recipient fails', async () => {
    const alice = await createTestDevice('alice-phone');
    await expect(encryptEnvelope(alice.store, text('x'), ['alice-phone'], bundleServer())).rejects.toThrow(/is this device/);
  });
});

describe('payload', () => {
  it('text at TEXT_MAX_BYTES encodes', () => {
    const payload = text('字'.repeat(TEXT_MAX_BYTES / 4) + 'a'.repeat(TEXT_MAX_BYTES - (TEXT_MAX_BYTES / 4) * 3));
    expect(decodePayload(encodePayload(payload))).toEqual(payload);
  });

  it('text past TEXT_MAX_BYTES fails', () => {
    let caught: unknown;
    try {
      encodePayload(text('a'.repeat(TEXT_MAX_BYTES + 1)));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidPayloadError);
    expect((caught as InvalidPayloadError).limit).toBe(TEXT_MAX_BYTES);
    expect((caught as InvalidPayloadError).value).toBe(TEXT_MAX_BYTES + 1);
  });

  it('worst-case escaped text fits PAYLOAD_MAX_BYTES', () => {
    const bytes = encodePayload(text('\u0001'.repeat(TEXT_MAX_BYTES)));
    expect(bytes.length).toBeLessThanOrEqual(PAYLOAD_MAX_BYTES);
  });

  it('payload past PAYLOAD_MAX_BYTES fails', () => {
    const oversized = new TextEncoder().encode(JSON.stringify({ kind: 'text', text: 'a' }).padEnd(PAYLOAD_MAX_BYTES + 1, ' '));
    expect(() => decodePayload(oversized)).toThrow(/over PAYLOAD_MAX_BYTES/);
  });

  it('unknown kind fails naming it', () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ kind: 'sticker', id: 7 }));
    expect(() => decodePayload(bytes)).toThrow(InvalidPayloadError);
  });

  it('empty text fails', () => {
    expect(() => encodePayload(text(''))).toThrow(/text: below the minimum 1/);
  });
});
