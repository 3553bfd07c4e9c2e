import { describe, expect, it } from 'vitest';
import { DecryptError } from '../../web/app/crypto/errors';
import { decodePayload, encodePayload } from '../../web/app/crypto/payload';
import {
  SENDER_KEY_MAX_SKIP,
  acceptDistribution,
  createSenderKey,
  decryptGroupMessage,
  distributionOf,
  encryptGroupMessage,
  type GroupCiphertext,
  type PeerSenderKey,
} from '../../web/app/crypto/sender-key';

const GROUP = 'group-1';

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DecryptError) return error.reason;
    throw error;
  }
  return 'decrypted';
}

describe('sender keys', () => {
  it('member decrypts in order', async () => {
    let alice = await createSenderKey(GROUP, 'alice-phone');
    let bob: PeerSenderKey = acceptDistribution(distributionOf(alice));

    const texts = ['你好', 'second', 'third'];
    for (const text of texts) {
      const sent = await encryptGroupMessage(alice, { kind: 'text', text });
      alice = sent.key;
      const opened = await decryptGroupMessage(bob, GROUP, sent.content);
      bob = opened.record;
      expect(opened.payload).toEqual({ kind: 'text', text });
    }
  });

  it('out of order and replay', async () => {
    let alice = await createSenderKey(GROUP, 'alice-phone');
    const bob = acceptDistribution(distributionOf(alice));
    const sent: GroupCiphertext[] = [];
    for (let i = 0; i < 3; i++) {
      const next = await encryptGroupMessage(alice, { kind: 'text', text: `m${i}` });
      alice = next.key;
      sent.push(next.content);
    }

    const third = await decryptGroupMessage(bob, GROUP, sent[2]);
    const first = await decryptGroupMessage(third.record, GROUP, sent[0]);

    expect(first.payload).toEqual({ kind: 'text', text: 'm0' });
    expect(await reason(decryptGroupMessage(first.record, GROUP, sent[0]))).toBe('replayed');
  });

  it('skip limit at and past edge', async () => {
    const alice = await createSenderKey(GROUP, 'alice-phone');
    const bob = acceptDistribution(distributionOf(alice));
    // Labelled iterations with the first chain key: correctly signed, so only the skip limit and the AES tag decide.
    const atLimit = await encryptGroupMessage({ ...alice, iteration: SENDER_KEY_MAX_SKIP }, { kind: 'text', text: 'x' });
    const pastLimit = await encryptGroupMessage({ ...alice, iteration: SENDER_KEY_MAX_SKIP + 1 }, { kind: 'text', text: 'x' });

    expect(await reason(decryptGroupMessage(bob, GROUP, atLimit.content))).toBe('tampered');
    expect(await reason(decryptGroupMessage(bob, GROUP, pastLimit.content))).toBe('too_far_ahead');
  });

  it('tampered ciphertext is rejected', async () => {
    const alice = await createSenderKey(GROUP, 'alice-phone');
    const bob = acceptDistribution(distributionOf(alice));
    const { content } = await encryptGroupMessage(alice, { kind: 'text', text: 'hi' });
    const flipped = content.ciphertext[0] === 'A' ? 'B' : 'A';

    expect(await reason(decryptGroupMessage(bob, GROUP, { ...content, ciphertext: flipped + content.ciphertext.slice(1) }))).toBe(
      'bad_signature',
    );
  });

  it('removed member cannot read next', async () => {
    let alice = await createSenderKey(GROUP, 'alice-phone');
    let carol = acceptDistribution(distributionOf(alice));
    let bob = acceptDistribution(distributionOf(alice));
    const before = await encryptGroupMessage(alice, { kind: 'text', text: 'before removal' });
    alice = before.key;
    carol = (await decryptGroupMessage(carol, GROUP, before.content)).record;
    bob = (await decryptGroupMessage(bob, GROUP, before.content)).record;

    // Carol is removed: Alice rotates and hands the new key to Bob only.
    alice = await createSenderKey(GROUP, 'alice-phone');
    bob = acceptDistribution(distributionOf(alice));
    const after = await encryptGroupMessage(alice, { kind: 'text', text: 'after removal' });

    expect((await decryptGroupMessage(bob, GROUP, after.content)).payload).toEqual({ kind: 'text', text: 'after removal' });
    expect(await reason(decryptGroupMessage(carol, GROUP, after.content))).toBe('no_session');
    const forged = { ...carol, keyId: after.content.keyId };
    expect(await reason(decryptGroupMessage(forged, GROUP, after.content))).toBe('bad_signature');
    for (const iteration of [0, carol.iteration]) {
      const withNewSigningKey = { ...forged, iteration, signingPublicKey: alice.signingPublicKey };
      expect(await reason(decryptGroupMessage(withNewSigningKey, GROUP, after.content))).not.toBe('decrypted');
    }
  });

  it('sender key payload round trips', () => {
    const payload = {
      kind: 'sender_key' as const,
      groupId: GROUP,
      senderDevice: 'alice-phone',
      keyId: 7,
      iteration: 0,
      chainKey: 'A'.repeat(43),
      signingKey: 'B'.repeat(43),
    };

    expect(decodePayload(encodePayload(payload))).toEqual(payload);
  });
});
