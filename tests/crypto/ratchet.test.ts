// The Double Ratchet between two parties with fixed initial keys.

import { describe, expect, it } from 'vitest';
import { decodeHeader, HEADER_BYTES } from '../../web/app/crypto/ratchet-header';
import { canSend, MAX_SKIP, ratchetDecrypt, restoreRatchetState, type RatchetState } from '../../web/app/crypto/ratchet';
import type { DecryptErrorReason } from '../../web/app/crypto/errors';
import { toHex } from './helpers';
import { CONTEXT, expectDecryptError, fixedParties, sendMany, type WireMessage } from './ratchet-harness';

describe('ratchet in order', () => {
  it('messages decrypt both directions', async () => {
    const { alice, bob } = await fixedParties();

    for (const text of ['a0', 'a1', 'a2']) expect(await bob.receive(await alice.send(text))).toBe(text);
    for (const text of ['b0', 'b1']) expect(await alice.receive(await bob.send(text))).toBe(text);
    for (const text of ['a3', 'a4']) expect(await bob.receive(await alice.send(text))).toBe(text);
  });

  it('headers carry pn and n', async () => {
    const { alice, bob } = await fixedParties();
    for (const message of await sendMany(alice, 3)) await bob.receive(message);
    await alice.receive(await bob.send('b0'));

    const header = decodeHeader((await alice.send('a3')).header);
    expect(header.previousChainLength).toBe(3);
    expect(header.messageNumber).toBe(0);
    expect(toHex(header.ratchetKey)).toBe(toHex(alice.state.ownRatchetKey.publicKey));
  });

  it('every message gets a new ciphertext', async () => {
    const { alice } = await fixedParties();
    const first = await alice.send('same');
    const second = await alice.send('same');
    expect(toHex(second.ciphertext)).not.toBe(toHex(first.ciphertext));
  });

  it('each direction change steps the DH ratchet', async () => {
    const { alice, bob } = await fixedParties();
    const firstKey = toHex(alice.state.ownRatchetKey.publicKey);
    await bob.receive(await alice.send('a0'));
    await alice.receive(await bob.send('b0'));
    expect(toHex(alice.state.ownRatchetKey.publicKey)).not.toBe(firstKey);
  });

  it('responder cannot send first', async () => {
    const { bob } = await fixedParties();
    expect(canSend(bob.state)).toBe(false);
    await expect(bob.send('too early')).rejects.toThrow(/no sending chain/);
  });
});

describe('ratchet out of order', () => {
  it('shuffled messages all decrypt', async () => {
    const { alice, bob } = await fixedParties();
    const messages = await sendMany(alice, 5);
    for (const index of [4, 1, 3, 0, 2]) expect(await bob.receive(messages[index]!)).toBe(`m${index}`);
    expect(bob.state.skippedKeys.length).toBe(0);
  });

  it('late message from earlier chain decrypts', async () => {
    const { alice, bob } = await fixedParties();
    const [a0, a1] = await sendMany(alice, 2, 'a');
    expect(await bob.receive(a1!)).toBe('a1');
    expect(await alice.receive(await bob.send('b0'))).toBe('b0');

    const a2 = await alice.send('a2');
    expect(await bob.receive(a2)).toBe('a2');
    expect(await bob.receive(a0!)).toBe('a0');
  });

  it('previous chain tail is skipped by pn', async () => {
    const { alice, bob } = await fixedParties();
    const [a0, a1, a2] = await sendMany(alice, 3, 'a');
    await bob.receive(a0!);
    await alice.receive(await bob.send('b0'));
    await bob.receive(await alice.send('c0'));

    expect(bob.state.skippedKeys.length).toBe(2);
    expect(await bob.receive(a2!)).toBe('a2');
    expect(await bob.receive(a1!)).toBe('a1');
  });

  it('gap within MAX_SKIP decrypts', async () => {
    const { alice, bob } = await fixedParties();
    const messages = await sendMany(alice, 50);
    expect(await bob.receive(messages[49]!)).toBe('m49');
    expect(bob.state.skippedKeys.length).toBe(49);
    expect(await bob.receive(messages[0]!)).toBe('m0');
  });

  it('gap past MAX_SKIP is too_far_ahead', async () => {
    const { alice, bob } = await fixedParties();
    const messages = await sendMany(alice, MAX_SKIP + 2);
    const error = await expectDecryptError(bob.receive(messages.at(-1)!), 'too_far_ahead');
    expect(error.message).toMatch(/MAX_SKIP = 1000/);
    expect(await bob.receive(messages[0]!)).toBe('m0');
  });
});

describe('ratchet replay', () => {
  it('second delivery is replayed', async () => {
    const { alice, bob } = await fixedParties();
    const message = await alice.send('once');
    await bob.receive(message);
    await expectDecryptError(bob.receive(message), 'replayed');
  });

  it('skipped key is used once', async () => {
    const { alice, bob } = await fixedParties();
    const [m0, m1] = await sendMany(alice, 2);
    await bob.receive(m1!);
    await bob.receive(m0!);
    await expectDecryptError(bob.receive(m0!), 'replayed');
  });

  it('replay from retired chain is replayed', async () => {
    const { alice, bob } = await fixedParties();
    const a0 = await alice.send('a0');
    await bob.receive(a0);
    await alice.receive(await bob.send('b0'));
    await bob.receive(await alice.send('c0'));
    await expectDecryptError(bob.receive(a0), 'replayed');
  });

  it('failed replay leaves state intact', async () => {
    const { alice, bob } = await fixedParties();
    const message = await alice.send('once');
    await bob.receive(message);
    const before = bob.state;
    await expectDecryptError(bob.receive(message), 'replayed');
    expect(bob.state).toBe(before);
    expect(await bob.receive(await alice.send('next'))).toBe('next');
  });
});

describe('ratchet tampering', () => {
  /** XORs one byte of `message` at `position`, counting the header's bytes first. */
  function flip(message: WireMessage, position: number): WireMessage {
    const header = message.header.slice();
    const ciphertext = message.ciphertext.slice();
    if (position < HEADER_BYTES) header[position]! ^= 0x01;
    else ciphertext[position - HEADER_BYTES]! ^= 0x01;
    return { header, ciphertext };
  }

  async function expectEveryFlipRejected(
    receiver: { state: RatchetState },
    message: WireMessage,
    expectedCounterReasons: Record<number, DecryptErrorReason>,
  ): Promise<void> {
    const total = HEADER_BYTES + message.ciphertext.length;
    for (let position = 0; position < total; position++) {
      const flipped = flip(message, position);
      const expected = expectedCounterReasons[position] ?? 'tampered';
      const attempt = ratchetDecrypt(receiver.state, flipped.header, flipped.ciphertext, CONTEXT);
      const error = await expectDecryptError(attempt, expected);
      expect(error.reason, `byte ${position}`).toBe(expected);
    }
  }

  it('every flipped byte on current chain fails', async () => {
    const { alice, bob } = await fixedParties();
    await bob.receive(await alice.send('a0'));
    await alice.receive(await bob.send('b0'));
    const b1 = await bob.send('hi');
    expect(b1.ciphertext.length).toBe(2 + 16);

    // b1 has N = 1 on a chain where Alice already used key 0. Flipping the
    // lowest bit of N gives 0, a used key. The next byte gives 257, within
    // MAX_SKIP, so AES-GCM fails. The two high bytes jump past MAX_SKIP.
    await expectEveryFlipRejected(alice, b1, { 39: 'replayed', 37: 'too_far_ahead', 36: 'too_far_ahead' });
    expect(await alice.receive(b1)).toBe('hi');
  });

  it('every flipped byte on new chain fails', async () => {
    const { alice, bob } = await fixedParties();
    await bob.receive(await alice.send('a0'));
    const b0 = await bob.send('hi');

    // b0 starts a new chain with N = 0, so Alice runs a DH ratchet step on it.
    await expectEveryFlipRejected(alice, b0, { 37: 'too_far_ahead', 36: 'too_far_ahead' });
    expect(await alice.receive(b0)).toBe('hi');
  });

  it('different context fails', async () => {
    const { alice, bob } = await fixedParties();
    const message = await alice.send('bound');
    const other = CONTEXT.slice();
    other[1]! ^= 0x01;
    await expectDecryptError(ratchetDecrypt(bob.state, message.header, message.ciphertext, other), 'tampered');
  });

  it('short header fails as tampered', async () => {
    const { alice, bob } = await fixedParties();
    const message = await alice.send('short');
    const attempt = ratchetDecrypt(bob.state, message.header.slice(0, HEADER_BYTES - 1), message.ciphertext, CONTEXT);
    await expectDecryptError(attempt, 'tampered');
  });
});

describe('ratchet state restore', () => {
  it('restored state continues the conversation', async () => {
    const { alice, bob } = await fixedParties();
    const [a0, a1, a2] = await sendMany(alice, 3, 'a');
    await bob.receive(a2!);
    await alice.receive(await bob.send('b0'));

    alice.state = restoreRatchetState(structuredClone(alice.state));
    bob.state = restoreRatchetState(structuredClone(bob.state));

    expect(bob.state.skippedKeys.length).toBe(2);
    expect(await bob.receive(a0!)).toBe('a0');
    expect(await bob.receive(await alice.send('c0'))).toBe('c0');
    expect(await alice.receive(await bob.send('b1'))).toBe('b1');
    expect(await bob.receive(a1!)).toBe('a1');
  });

  it('restore names the damaged field', async () => {
    const { alice } = await fixedParties();
    const damaged = { ...alice.state, rootKey: alice.state.rootKey.slice(1) };
    expect(() => restoreRatchetState(damaged)).toThrow(/rootKey/);
  });

  it('restore rejects a missing private key', async () => {
    const { alice } = await fixedParties();
    const damaged = { ...alice.state, ownRatchetKey: { publicKey: alice.state.ownRatchetKey.publicKey } };
    expect(() => restoreRatchetState(damaged)).toThrow(/ownRatchetKey\.privateKey/);
  });
});
