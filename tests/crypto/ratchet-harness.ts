// Two Double Ratchet parties with fixed initial keys, and a helper to assert
// the reason of a DecryptError.

import { expect } from 'vitest';
import { utf8Decode, utf8Encode, type Bytes } from '../../web/app/crypto/bytes';
import { DecryptError, type DecryptErrorReason } from '../../web/app/crypto/errors';
import { initInitiatorRatchet, initResponderRatchet, ratchetDecrypt, ratchetEncrypt, type RatchetState } from '../../web/app/crypto/ratchet';
import { hex, importX25519KeyPair } from './helpers';

/** Extra associated data of every test message, as the envelope's device context would be. */
export const CONTEXT = utf8Encode('\u0005alice\u0003bob');

export interface WireMessage {
  header: Bytes;
  ciphertext: Bytes;
}

/** One side of a conversation; `state` is replaced only by steps that succeed. */
export class RatchetParty {
  constructor(public state: RatchetState) {}

  async send(text: string): Promise<WireMessage> {
    const encrypted = await ratchetEncrypt(this.state, utf8Encode(text), CONTEXT);
    this.state = encrypted.state;
    return { header: encrypted.header, ciphertext: encrypted.ciphertext };
  }

  async receive(message: WireMessage): Promise<string> {
    const decrypted = await ratchetDecrypt(this.state, message.header, message.ciphertext, CONTEXT);
    this.state = decrypted.state;
    return utf8Decode(decrypted.plaintext);
  }
}

/**
 * Alice as initiator and Bob as responder, from a fixed shared secret, with
 * the RFC 7748 section 6.1 key pairs as Alice's first ratchet key and Bob's
 * signed prekey.
 */
export async function fixedParties(): Promise<{ alice: RatchetParty; bob: RatchetParty }> {
  const sharedSecret = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
  const associatedData = utf8Encode('fixed associated data of the test session');
  const aliceRatchetKey = await importX25519KeyPair(
    '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
    '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
  );
  const bobSignedPreKey = await importX25519KeyPair(
    '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
    'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
  );

  return {
    alice: new RatchetParty(
      await initInitiatorRatchet(sharedSecret, associatedData, bobSignedPreKey.publicKey, aliceRatchetKey),
    ),
    bob: new RatchetParty(initResponderRatchet(sharedSecret, associatedData, bobSignedPreKey)),
  };
}

/** Awaits a rejection and checks that it is a DecryptError with `reason`. */
export async function expectDecryptError(promise: Promise<unknown>, reason: DecryptErrorReason): Promise<DecryptError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DecryptError);
  expect((caught as DecryptError).reason).toBe(reason);
  return caught as DecryptError;
}

/** Sends `count` messages with texts `<label>0`, `<label>1`, … and returns them in order. */
export async function sendMany(party: RatchetParty, count: number, label = 'm'): Promise<WireMessage[]> {
  const messages: WireMessage[] = [];
  for (let i = 0; i < count; i++) messages.push(await party.send(`${label}${i}`));
  return messages;
}
