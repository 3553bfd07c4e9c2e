// The Double Ratchet (Signal's "The Double Ratchet Algorithm", revision 4):
// a symmetric-key ratchet gives every message a new key, and a DH ratchet
// step replaces the chains whenever the direction of the conversation
// changes. KDFs are in ratchet-kdf.ts, the header in ratchet-header.ts,
// skipped keys in ratchet-skipped.ts.
//
// Encrypt and decrypt never modify the state passed in: they return a new
// state, which the caller stores only when the step succeeded. A decrypt that
// fails therefore leaves no trace, as the specification requires.

import { concatBytes, constantTimeEqual, toBase64Url, type Bytes } from './bytes';
import { DecryptError } from './errors';
import { aesGcmDecrypt, aesGcmEncrypt, generateX25519KeyPair, x25519, type KeyPairWithPublicBytes } from './primitives';
import { decodeHeader, encodeHeader, HEADER_COUNTER_MAX, type MessageHeader } from './ratchet-header';
import { expandMessageKey, kdfChainKey, kdfRootKey } from './ratchet-kdf';
import { skipMessageKeys, takeSkippedKey } from './ratchet-skipped';
import {
  cloneRatchetState,
  RATCHET_STATE_VERSION,
  RETIRED_RATCHET_KEYS_MAX,
  type RatchetState,
} from './ratchet-state';

export { MAX_SKIP, MAX_SKIPPED_KEYS, RETIRED_RATCHET_KEYS_MAX, restoreRatchetState } from './ratchet-state';
export type { RatchetState } from './ratchet-state';

export interface EncryptedMessage {
  state: RatchetState;
  /** The 40-byte encoded header. */
  header: Bytes;
  /** AES-256-GCM ciphertext followed by its 16-byte tag. */
  ciphertext: Bytes;
}

export interface DecryptedMessage {
  state: RatchetState;
  plaintext: Bytes;
}

/**
 * Starts the initiator's ratchet after X3DH. The responder's signed prekey is
 * its first ratchet key, so the initiator can send at once.
 * `ownRatchetKey` exists for tests with fixed keys; leave it out otherwise.
 */
export async function initInitiatorRatchet(
  sharedSecret: Bytes,
  associatedData: Bytes,
  remoteRatchetKey: Bytes,
  ownRatchetKey?: KeyPairWithPublicBytes,
): Promise<RatchetState> {
  const ratchetKey = ownRatchetKey ?? (await generateX25519KeyPair());
  const step = await kdfRootKey(sharedSecret, await x25519(ratchetKey.privateKey, remoteRatchetKey));

  return {
    version: RATCHET_STATE_VERSION,
    associatedData,
    rootKey: step.rootKey,
    ownRatchetKey: ratchetKey,
    remoteRatchetKey,
    sendingChain: { chainKey: step.chainKey, index: 0 },
    receivingChain: null,
    previousSendingChainLength: 0,
    skippedKeys: [],
    retiredRatchetKeys: [],
  };
}

/**
 * Starts the responder's ratchet after X3DH, with its signed prekey as its
 * first ratchet key. It can send only after it decrypted a first message.
 */
export function initResponderRatchet(
  sharedSecret: Bytes,
  associatedData: Bytes,
  signedPreKey: KeyPairWithPublicBytes,
): RatchetState {
  return {
    version: RATCHET_STATE_VERSION,
    associatedData,
    rootKey: sharedSecret,
    ownRatchetKey: signedPreKey,
    remoteRatchetKey: null,
    sendingChain: null,
    receivingChain: null,
    previousSendingChainLength: 0,
    skippedKeys: [],
    retiredRatchetKeys: [],
  };
}

/** Returns whether the state has a sending chain, which a responder lacks until the first message arrives. */
export function canSend(state: RatchetState): boolean {
  return state.sendingChain !== null;
}

/**
 * Encrypts one message. `context` is extra associated data bound to this
 * message only (the envelope passes the sender and recipient device ids).
 */
export async function ratchetEncrypt(state: RatchetState, plaintext: Bytes, context: Bytes): Promise<EncryptedMessage> {
  const chain = state.sendingChain;
  if (!chain) throw new Error('this session has no sending chain yet: it must decrypt a message first');
  if (chain.index > HEADER_COUNTER_MAX) {
    throw new RangeError(`sending chain is exhausted at HEADER_COUNTER_MAX = ${HEADER_COUNTER_MAX} messages`);
  }

  const step = await kdfChainKey(chain.chainKey);
  const header = encodeHeader({
    ratchetKey: state.ownRatchetKey.publicKey,
    previousChainLength: state.previousSendingChainLength,
    messageNumber: chain.index,
  });
  const keys = await expandMessageKey(step.messageKey);
  const associatedData = concatBytes(state.associatedData, header, context);
  const ciphertext = await aesGcmEncrypt(keys.aesKey, keys.iv, plaintext, associatedData);

  const next = cloneRatchetState(state);
  next.sendingChain = { chainKey: step.chainKey, index: chain.index + 1 };
  return { state: next, header, ciphertext };
}

/**
 * Decrypts one message. Throws DecryptError with reason `tampered`,
 * `replayed` or `too_far_ahead`; the state passed in is never modified.
 */
export async function ratchetDecrypt(
  state: RatchetState,
  headerBytes: Bytes,
  ciphertext: Bytes,
  context: Bytes,
): Promise<DecryptedMessage> {
  const advanced = await advanceForMessage(state, headerBytes, context);
  return { state: advanced.state, plaintext: await openMessage(advanced.messageKey, ciphertext, advanced.associatedData) };
}

/** The state after a message's key was taken out of it, with that key; the message itself is not opened yet. */
export interface AdvancedState {
  state: RatchetState;
  messageKey: Bytes;
  associatedData: Bytes;
}

/**
 * Runs every state change of ratchetDecrypt except the AES-GCM open. The
 * returned state may be stored only after openMessage with the returned key
 * succeeded, because until then nothing shows the header is authentic.
 * Throws DecryptError as ratchetDecrypt does; the state passed in is never modified.
 */
export async function advanceForMessage(state: RatchetState, headerBytes: Bytes, context: Bytes): Promise<AdvancedState> {
  const header = decodeHeader(headerBytes);
  const associatedData = concatBytes(state.associatedData, headerBytes, context);
  const next = cloneRatchetState(state);
  const ratchetKeyId = toBase64Url(header.ratchetKey);

  const skippedKey = takeSkippedKey(next, ratchetKeyId, header.messageNumber);
  if (skippedKey) return { state: next, messageKey: skippedKey, associatedData };

  const isCurrentChain = next.remoteRatchetKey !== null && constantTimeEqual(header.ratchetKey, next.remoteRatchetKey);
  rejectUsedMessageKey(next, header, isCurrentChain, ratchetKeyId);

  if (!isCurrentChain) {
    await skipMessageKeys(next, header.previousChainLength);
    await stepDhRatchet(next, header.ratchetKey);
  }
  await skipMessageKeys(next, header.messageNumber);

  const chain = next.receivingChain;
  if (!chain) {
    throw new DecryptError(
      'tampered',
      "no receiving chain exists for the header's ratchet key: it is the peer's signed prekey, which never sends",
    );
  }
  const step = await kdfChainKey(chain.chainKey);
  next.receivingChain = { chainKey: step.chainKey, index: chain.index + 1 };
  return { state: next, messageKey: step.messageKey, associatedData };
}

/**
 * Rejects a header whose message key this state already derived and no
 * longer holds: used once, or evicted from the skipped keys.
 */
function rejectUsedMessageKey(
  state: RatchetState,
  header: MessageHeader,
  isCurrentChain: boolean,
  ratchetKeyId: string,
): void {
  if (isCurrentChain && state.receivingChain && header.messageNumber < state.receivingChain.index) {
    throw new DecryptError(
      'replayed',
      `message ${header.messageNumber} of the current chain was already decrypted, or its key was evicted`,
    );
  }
  if (!isCurrentChain && state.retiredRatchetKeys.includes(ratchetKeyId)) {
    throw new DecryptError(
      'replayed',
      `message ${header.messageNumber} of an earlier chain was already decrypted, or its key was evicted`,
    );
  }
}

/** Decrypts a message with its message key; throws DecryptError `tampered` when authentication fails. */
export async function openMessage(messageKey: Bytes, ciphertext: Bytes, associatedData: Bytes): Promise<Bytes> {
  const keys = await expandMessageKey(messageKey);
  const plaintext = await aesGcmDecrypt(keys.aesKey, keys.iv, ciphertext, associatedData);
  if (!plaintext) {
    throw new DecryptError('tampered', 'message authentication failed: the header or ciphertext was changed');
  }
  return plaintext;
}

/** Runs the DH ratchet step for a new remote ratchet key: a new receiving chain, own key and sending chain. */
async function stepDhRatchet(state: RatchetState, remoteRatchetKey: Bytes): Promise<void> {
  if (state.remoteRatchetKey) {
    state.retiredRatchetKeys.push(toBase64Url(state.remoteRatchetKey));
    if (state.retiredRatchetKeys.length > RETIRED_RATCHET_KEYS_MAX) state.retiredRatchetKeys.shift();
  }

  state.previousSendingChainLength = state.sendingChain?.index ?? 0;
  state.remoteRatchetKey = remoteRatchetKey;

  const receiving = await kdfRootKey(state.rootKey, await dhWithRemote(state.ownRatchetKey, remoteRatchetKey));
  state.receivingChain = { chainKey: receiving.chainKey, index: 0 };

  state.ownRatchetKey = await generateX25519KeyPair();
  const sending = await kdfRootKey(receiving.rootKey, await dhWithRemote(state.ownRatchetKey, remoteRatchetKey));
  state.rootKey = sending.rootKey;
  state.sendingChain = { chainKey: sending.chainKey, index: 0 };
}

/** X25519 with a key from an unauthenticated header: a key WebCrypto rejects can only be a changed one. */
async function dhWithRemote(own: KeyPairWithPublicBytes, remoteRatchetKey: Bytes): Promise<Bytes> {
  try {
    return await x25519(own.privateKey, remoteRatchetKey);
  } catch (error) {
    const reason = (error as Error).message;
    throw new DecryptError('tampered', `the header's ratchet key is not a usable X25519 key: ${reason}`);
  }
}
