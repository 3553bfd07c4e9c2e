// Sender keys for end-to-end encrypted groups, after Signal's Sender Key
// scheme. Each member device keeps one sending chain per group: a random
// 32-byte chain key stepped with the Double Ratchet's KDF_CK for every
// message, and an Ed25519 key that signs every ciphertext. The device hands
// the chain key (at its current iteration) and the public signing key to
// every other member device as a `sender_key` payload over the 1:1
// encrypted sessions. When a member leaves or is removed, every remaining
// device makes a fresh sender key with a new id and hands it only to the
// remaining members, so no key the removed member has opens later messages.
//
// Message layout: `ciphertext` = AES-256-GCM(payload) || Ed25519 signature
// over (associated data || AES-GCM output). The associated data binds the
// group id, the sender device, the key id and the iteration.

import { concatBytes, encodeUint32, fromBase64Url, toBase64Url, utf8Encode, type Bytes } from './bytes';
import { DecryptError } from './errors';
import { decodePayload, encodePayload, type Payload } from './payload';
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  ed25519Sign,
  ed25519Verify,
  generateEd25519KeyPair,
  KEY_BYTES,
  randomBytes,
  SIGNATURE_BYTES,
} from './primitives';
import { expandMessageKey, kdfChainKey } from './ratchet-kdf';

/** Chain steps a receiver takes at most to reach one message, as MAX_SKIP bounds the Double Ratchet. */
export const SENDER_KEY_MAX_SKIP = 2_000;

/** Message keys a receiver keeps for messages that arrive out of order, per sender key. */
export const SENDER_KEY_SKIPPED_MAX = 500;

/** The sending side of one device's sender key in one group. */
export interface OwnSenderKey {
  groupId: string;
  senderDevice: string;
  keyId: number;
  iteration: number;
  chainKey: Bytes;
  signingPrivateKey: CryptoKey;
  signingPublicKey: Bytes;
}

/** The receiving side of another device's sender key. */
export interface PeerSenderKey {
  groupId: string;
  senderDevice: string;
  keyId: number;
  /** The iteration `chainKey` belongs to: the next message this record can open without skipped keys. */
  iteration: number;
  chainKey: Bytes;
  signingPublicKey: Bytes;
  /** Message keys of iterations passed over, by iteration. */
  skipped: Map<number, Bytes>;
}

/** The fields of a `sender_key` payload besides its kind. */
export interface SenderKeyDistribution {
  groupId: string;
  senderDevice: string;
  keyId: number;
  iteration: number;
  chainKey: string;
  signingKey: string;
}

/** The group message content the edge stores and forwards without reading it. */
export interface GroupCiphertext {
  type: 'group_e2e';
  senderDevice: string;
  keyId: number;
  iteration: number;
  ciphertext: string;
}

/** Makes a fresh sender key with a random id: at the start and after every membership removal. */
export async function createSenderKey(groupId: string, senderDevice: string): Promise<OwnSenderKey> {
  const signing = await generateEd25519KeyPair();
  const keyId = new DataView(randomBytes(4).buffer).getUint32(0);
  return {
    groupId,
    senderDevice,
    keyId,
    iteration: 0,
    chainKey: randomBytes(KEY_BYTES),
    signingPrivateKey: signing.privateKey,
    signingPublicKey: signing.publicKey,
  };
}

/** Returns the distribution to send, inside a `sender_key` payload, to each other member device. */
export function distributionOf(key: OwnSenderKey): SenderKeyDistribution {
  return {
    groupId: key.groupId,
    senderDevice: key.senderDevice,
    keyId: key.keyId,
    iteration: key.iteration,
    chainKey: toBase64Url(key.chainKey),
    signingKey: toBase64Url(key.signingPublicKey),
  };
}

export function acceptDistribution(distribution: SenderKeyDistribution): PeerSenderKey {
  return {
    groupId: distribution.groupId,
    senderDevice: distribution.senderDevice,
    keyId: distribution.keyId,
    iteration: distribution.iteration,
    chainKey: fromBase64Url(distribution.chainKey),
    signingPublicKey: fromBase64Url(distribution.signingKey),
    skipped: new Map(),
  };
}

/** Encrypts one payload and advances the chain; the caller stores the returned key before sending. */
export async function encryptGroupMessage(key: OwnSenderKey, payload: Payload): Promise<{ content: GroupCiphertext; key: OwnSenderKey }> {
  const step = await kdfChainKey(key.chainKey);
  const { aesKey, iv } = await expandMessageKey(step.messageKey);
  const associated = associatedData(key.groupId, key.senderDevice, key.keyId, key.iteration);

  const sealed = await aesGcmEncrypt(aesKey, iv, encodePayload(payload), associated);
  const signature = await ed25519Sign(key.signingPrivateKey, concatBytes(associated, sealed));
  const content: GroupCiphertext = {
    type: 'group_e2e',
    senderDevice: key.senderDevice,
    keyId: key.keyId,
    iteration: key.iteration,
    ciphertext: toBase64Url(concatBytes(sealed, signature)),
  };
  return { content, key: { ...key, iteration: key.iteration + 1, chainKey: step.chainKey } };
}

/**
 * Decrypts a group message with the matching peer sender key and returns the
 * payload and the advanced record. Throws DecryptError: `no_session` for an
 * unknown key id, `bad_signature`, `tampered`, `replayed` or `too_far_ahead`.
 */
export async function decryptGroupMessage(
  record: PeerSenderKey,
  groupId: string,
  content: GroupCiphertext,
): Promise<{ payload: Payload; record: PeerSenderKey }> {
  if (record.groupId !== groupId || record.senderDevice !== content.senderDevice || record.keyId !== content.keyId) {
    throw new DecryptError('no_session', `no sender key ${content.keyId} of device ${content.senderDevice} in this group`);
  }

  const bytes = fromBase64Url(content.ciphertext);
  if (bytes.length < SIGNATURE_BYTES) throw new DecryptError('tampered', 'group ciphertext is shorter than its signature');
  const sealed = bytes.slice(0, bytes.length - SIGNATURE_BYTES);
  const signature = bytes.slice(bytes.length - SIGNATURE_BYTES);
  const associated = associatedData(groupId, content.senderDevice, content.keyId, content.iteration);
  if (!(await ed25519Verify(record.signingPublicKey, signature, concatBytes(associated, sealed)))) {
    throw new DecryptError('bad_signature', 'group message signature does not verify with the sender key');
  }

  const { messageKey, next } = await messageKeyFor(record, content.iteration);
  const { aesKey, iv } = await expandMessageKey(messageKey);
  const plaintext = await aesGcmDecrypt(aesKey, iv, sealed, associated);
  if (!plaintext) throw new DecryptError('tampered', 'group message failed AES-GCM authentication');
  return { payload: decodePayload(plaintext), record: next };
}

/** Finds or derives the message key of `iteration`, keeping the keys passed over. */
async function messageKeyFor(record: PeerSenderKey, iteration: number): Promise<{ messageKey: Bytes; next: PeerSenderKey }> {
  if (iteration < record.iteration) {
    const kept = record.skipped.get(iteration);
    if (!kept) throw new DecryptError('replayed', `message key ${iteration} was already used or dropped`);
    const skipped = new Map(record.skipped);
    skipped.delete(iteration);
    return { messageKey: kept, next: { ...record, skipped } };
  }
  if (iteration - record.iteration > SENDER_KEY_MAX_SKIP) {
    throw new DecryptError('too_far_ahead', `iteration ${iteration} is more than ${SENDER_KEY_MAX_SKIP} past ${record.iteration}`);
  }

  const skipped = new Map(record.skipped);
  let chainKey = record.chainKey;
  for (let at = record.iteration; at < iteration; at++) {
    const step = await kdfChainKey(chainKey);
    skipped.set(at, step.messageKey);
    chainKey = step.chainKey;
  }
  while (skipped.size > SENDER_KEY_SKIPPED_MAX) skipped.delete(skipped.keys().next().value as number);

  const step = await kdfChainKey(chainKey);
  return { messageKey: step.messageKey, next: { ...record, iteration: iteration + 1, chainKey: step.chainKey, skipped } };
}

function associatedData(groupId: string, senderDevice: string, keyId: number, iteration: number): Bytes {
  return concatBytes(utf8Encode(`Feige Group v1\0${groupId}\0${senderDevice}\0`), encodeUint32(keyId), encodeUint32(iteration));
}
