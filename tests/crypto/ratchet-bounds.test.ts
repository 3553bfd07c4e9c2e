// The ratchet's named bounds, each at its edge and one past it.

import { describe, expect, it } from 'vitest';
import { encodeHeader, HEADER_COUNTER_MAX } from '../../web/app/crypto/ratchet-header';
import { MAX_SKIP, MAX_SKIPPED_KEYS, RETIRED_RATCHET_KEYS_MAX } from '../../web/app/crypto/ratchet';
import { expectDecryptError, fixedParties, sendMany, type RatchetParty } from './ratchet-harness';

describe('MAX_SKIP', () => {
  it('skipping exactly MAX_SKIP keys works', async () => {
    const { alice, bob } = await fixedParties();
    const messages = await sendMany(alice, MAX_SKIP + 1);

    expect(await bob.receive(messages[MAX_SKIP]!)).toBe(`m${MAX_SKIP}`);
    expect(bob.state.skippedKeys.length).toBe(MAX_SKIP);
    for (let i = 0; i < MAX_SKIP; i++) expect(await bob.receive(messages[i]!)).toBe(`m${i}`);
  });

  it('skipping MAX_SKIP + 1 keys fails', async () => {
    const { alice, bob } = await fixedParties();
    const messages = await sendMany(alice, MAX_SKIP + 2);

    await expectDecryptError(bob.receive(messages[MAX_SKIP + 1]!), 'too_far_ahead');
    expect(bob.state.skippedKeys.length).toBe(0);
  });

  /**
   * Bob receives a0 only; Alice sends `unsent` more messages on that chain,
   * then hears from Bob and starts a new chain whose header carries
   * PN = unsent + 1. Bob must skip `unsent` keys of the old chain.
   */
  async function previousChainGap(unsent: number): Promise<{ bob: RatchetParty; next: Promise<string> }> {
    const { alice, bob } = await fixedParties();
    await bob.receive(await alice.send('a0'));
    await sendMany(alice, unsent, 'lost');
    await alice.receive(await bob.send('b0'));
    const c0 = await alice.send('c0');
    return { bob, next: bob.receive(c0) };
  }

  it('previous chain gap of MAX_SKIP works', async () => {
    const { bob, next } = await previousChainGap(MAX_SKIP);
    expect(await next).toBe('c0');
    expect(bob.state.skippedKeys.length).toBe(MAX_SKIP);
  });

  it('previous chain gap past MAX_SKIP fails', async () => {
    const { next } = await previousChainGap(MAX_SKIP + 1);
    await expectDecryptError(next, 'too_far_ahead');
  });
});

describe('MAX_SKIPPED_KEYS', () => {
  /** Bob receives only the last of MAX_SKIP + 1 messages from Alice's current chain, then replies so that Alice's next chain starts. */
  async function skipOneFullChain(alice: RatchetParty, bob: RatchetParty, label: string) {
    const messages = await sendMany(alice, MAX_SKIP + 1, label);
    await bob.receive(messages[MAX_SKIP]!);
    await alice.receive(await bob.send(`reply after ${label}`));
    return messages;
  }

  it('cap is twice MAX_SKIP, as these tests assume', () => {
    expect(MAX_SKIPPED_KEYS).toBe(2 * MAX_SKIP);
  });

  it('keys up to the cap are kept', async () => {
    const { alice, bob } = await fixedParties();
    const first = await skipOneFullChain(alice, bob, 'first');
    const second = await skipOneFullChain(alice, bob, 'second');

    expect(bob.state.skippedKeys.length).toBe(MAX_SKIPPED_KEYS);
    expect(await bob.receive(first[0]!)).toBe('first0');
    expect(await bob.receive(second[0]!)).toBe('second0');
  });

  it('one past the cap evicts oldest', async () => {
    const { alice, bob } = await fixedParties();
    const first = await skipOneFullChain(alice, bob, 'first');
    await skipOneFullChain(alice, bob, 'second');

    const [, third1] = await sendMany(alice, 2, 'third');
    expect(await bob.receive(third1!)).toBe('third1');

    expect(bob.state.skippedKeys.length).toBe(MAX_SKIPPED_KEYS);
    await expectDecryptError(bob.receive(first[0]!), 'replayed');
    expect(await bob.receive(first[1]!)).toBe('first1');
  });
});

describe('RETIRED_RATCHET_KEYS_MAX', () => {
  /** Runs `rounds` round trips after a0, so Bob retires one more of Alice's ratchet keys per round. */
  async function afterRoundTrips(rounds: number) {
    const { alice, bob } = await fixedParties();
    const a0 = await alice.send('a0');
    await bob.receive(a0);
    for (let round = 0; round < rounds; round++) {
      await alice.receive(await bob.send(`b${round}`));
      await bob.receive(await alice.send(`a${round + 1}`));
    }
    return { bob, a0 };
  }

  it('replay at the cap is replayed', async () => {
    const { bob, a0 } = await afterRoundTrips(RETIRED_RATCHET_KEYS_MAX);
    expect(bob.state.retiredRatchetKeys.length).toBe(RETIRED_RATCHET_KEYS_MAX);
    await expectDecryptError(bob.receive(a0), 'replayed');
  });

  it('replay past the cap is tampered', async () => {
    const { bob, a0 } = await afterRoundTrips(RETIRED_RATCHET_KEYS_MAX + 1);
    expect(bob.state.retiredRatchetKeys.length).toBe(RETIRED_RATCHET_KEYS_MAX);
    await expectDecryptError(bob.receive(a0), 'tampered');
  });
});

describe('HEADER_COUNTER_MAX', () => {
  const ratchetKey = new Uint8Array(32);

  it('header counter at the maximum encodes', () => {
    const header = encodeHeader({ ratchetKey, previousChainLength: HEADER_COUNTER_MAX, messageNumber: HEADER_COUNTER_MAX });
    expect(header.length).toBe(40);
  });

  it('header counter past the maximum fails', () => {
    expect(() => encodeHeader({ ratchetKey, previousChainLength: 0, messageNumber: HEADER_COUNTER_MAX + 1 })).toThrow(
      /messageNumber 4294967296 .*HEADER_COUNTER_MAX/,
    );
  });
});
