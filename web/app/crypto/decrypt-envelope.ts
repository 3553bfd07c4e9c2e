// Decrypts this device's entry of an envelope, completing X3DH as responder
// when the entry is a prekey message.

import { constantTimeEqual, type Bytes } from './bytes';
import {
  requireIdentity,
  type CryptoStore,
  type DecryptReceipt,
  type PeerRecordUpdate,
  type StoredIdentity,
} from './crypto-store';
import { deviceContext, entryForDevice, parseEnvelope, type RecipientEntry } from './envelope';
import { DecryptError } from './errors';
import { verifyIdentityPublicKeys, type IdentityPublicKeys } from './identity';
import { decodePayload, type Payload } from './payload';
import { identityKeysFromWire } from './prekey-bundle';
import { advanceForMessage, initResponderRatchet, openMessage, ratchetDecrypt } from './ratchet';
import { decodeField } from './schemas';
import { sameIdentity, withCurrentSession, type PeerSessionRecord, type Session } from './session-record';
import { respondX3dh } from './x3dh';

export interface DecryptedEnvelope {
  senderDevice: string;
  /** The sender device's identity keys; compare them with the server's device list to detect a substituted key. */
  senderIdentity: IdentityPublicKeys;
  payload: Payload;
  /** True when a prekey message brought identity keys that differ from the ones stored for that device before. */
  identityChanged: boolean;
}

export interface StepResult {
  plaintext: Bytes;
  senderIdentity: IdentityPublicKeys;
  identityChanged: boolean;
}

export type DecryptStep = PeerRecordUpdate<StepResult>;

/** This device's entry in binary form, with the device context its associated data ends with. */
export interface SealedMessage {
  header: Bytes;
  ciphertext: Bytes;
  context: Bytes;
}

export const tamperedField = (_field: string, message: string) => new DecryptError('tampered', message);

export interface DecryptOptions {
  /**
   * Stores a receipt under this key in the same commit as the ratchet step,
   * for readReceipt to find when the same message comes again.
   */
  receiptKey?: string;
}

/**
 * Decrypts an envelope received from the network. Throws DecryptError for
 * anything this device cannot or must not decrypt. Throws
 * InvalidPayloadError when the message decrypted but its payload is of an
 * unknown kind or breaks a limit, and then the session has still advanced.
 */
export async function decryptEnvelope(
  store: CryptoStore,
  value: unknown,
  options: DecryptOptions = {},
): Promise<DecryptedEnvelope> {
  const envelope = parseEnvelope(value);
  const own = await requireIdentity(store);
  const entry = entryForDevice(envelope, own.deviceId);

  const sender = envelope.senderDevice;
  const sealed: SealedMessage = {
    header: decodeField(entry.header, 'header', tamperedField),
    ciphertext: decodeField(entry.ciphertext, 'ciphertext', tamperedField),
    context: deviceContext(sender, own.deviceId),
  };

  const result = await store.updatePeerRecord(sender, async (record): Promise<DecryptStep> => {
    const step = await decryptStep(store, own, record, entry, sender, sealed);
    if (options.receiptKey === undefined) return step;
    return { ...step, receipts: [{ key: options.receiptKey, senderDevice: sender, ...step.result }] };
  });

  return {
    senderDevice: sender,
    senderIdentity: result.senderIdentity,
    payload: decodePayload(result.plaintext),
    identityChanged: result.identityChanged,
  };
}

/**
 * Returns the message that decryptEnvelope stored a receipt for under `key`,
 * or undefined. Throws InvalidPayloadError as decryptEnvelope does.
 */
export async function readReceipt(store: CryptoStore, key: string): Promise<DecryptedEnvelope | undefined> {
  const receipt: DecryptReceipt | undefined = await store.getReceipt(key);
  return receipt && openReceipt(receipt);
}

/** Returns the message of a receipt. Throws InvalidPayloadError for a payload this version cannot read. */
export function openReceipt(receipt: DecryptReceipt): DecryptedEnvelope {
  return {
    senderDevice: receipt.senderDevice,
    senderIdentity: receipt.senderIdentity,
    payload: decodePayload(receipt.plaintext),
    identityChanged: receipt.identityChanged,
  };
}

export async function decryptStep(
  store: CryptoStore,
  own: StoredIdentity,
  record: PeerSessionRecord | undefined,
  entry: RecipientEntry,
  sender: string,
  sealed: SealedMessage,
): Promise<DecryptStep> {
  switch (entry.type) {
    case 'message':
      return decryptWithSessions(requireRecord(record, sender), sealed);
    case 'prekey':
      return decryptPrekeyMessage(store, own, record, entry, sender, sealed);
    default: {
      const unreachable: never = entry;
      throw new DecryptError('tampered', `unknown entry type ${String((unreachable as RecipientEntry).type)}`);
    }
  }
}

/** A step on a known session whose AES-GCM open may still run; `record` is valid only if `plaintext` resolves to bytes. */
export interface StartedStep {
  record: PeerSessionRecord;
  senderIdentity: IdentityPublicKeys;
  /** The plaintext, or null when the open failed for any reason. */
  plaintext: Promise<Bytes | null>;
}

/**
 * Starts the step that decryptStep would take when the message decrypts under
 * the session it names first: the record's current session for a `message`
 * entry, or the session a repeated prekey message started. Everything but the
 * AES-GCM open is done before this returns, so the next message's step can
 * start from the returned record while this open runs. Returns undefined
 * when no such session exists or its ratchet rejects the header. Then, and
 * when `plaintext` resolves to null, decryptStep on the record passed in here
 * gives the outcome.
 */
export async function startKnownSessionStep(
  record: PeerSessionRecord | undefined,
  entry: RecipientEntry,
  sealed: SealedMessage,
): Promise<StartedStep | undefined> {
  if (!record) return undefined;

  let session: Session | undefined;
  let advanced;
  try {
    session = knownSession(record, entry);
    if (!session) return undefined;
    advanced = await advanceForMessage(session.ratchet, sealed.header, sealed.context);
  } catch (error) {
    if (error instanceof DecryptError) return undefined;
    throw error;
  }

  const current: Session = { ...session, ratchet: advanced.state, pendingPreKey: null };
  const plaintext = openMessage(advanced.messageKey, sealed.ciphertext, advanced.associatedData).catch(() => null);
  return {
    record: { ...record, sessions: withCurrentSession(record.sessions, current, session) },
    senderIdentity: record.peerIdentity,
    plaintext,
  };
}

/** Returns the session decryptWithSessions tries first for `entry`, or undefined when no stored session fits it. */
function knownSession(record: PeerSessionRecord, entry: RecipientEntry): Session | undefined {
  switch (entry.type) {
    case 'message':
      return record.sessions[0];
    case 'prekey': {
      const initiator = identityKeysFromWire(entry.prekey.identity, 'prekey.identity', tamperedField);
      const ephemeralKey = decodeField(entry.prekey.ephemeralKey, 'prekey.ephemeralKey', tamperedField);
      if (!sameIdentity(record.peerIdentity, initiator)) return undefined;
      return record.sessions.find((session) => constantTimeEqual(session.baseKey, ephemeralKey));
    }
    default: {
      const unreachable: never = entry;
      throw new DecryptError('tampered', `unknown entry type ${String((unreachable as RecipientEntry).type)}`);
    }
  }
}

function requireRecord(record: PeerSessionRecord | undefined, sender: string): PeerSessionRecord {
  if (!record || record.sessions.length === 0) {
    throw new DecryptError('no_session', `no session with device ${sender}; it must send a prekey message first`);
  }
  return record;
}

/**
 * Tries the given sessions, newest first. The session that decrypts becomes
 * the current one, and its pending prekey is dropped because the peer has
 * evidently received it. If none decrypts, the first session's error is
 * thrown, since it describes the session the peer most likely used.
 */
async function decryptWithSessions(
  record: PeerSessionRecord,
  sealed: SealedMessage,
  candidates: Session[] = record.sessions,
): Promise<DecryptStep> {
  let firstError: DecryptError | null = null;

  for (const session of candidates) {
    try {
      const decrypted = await ratchetDecrypt(session.ratchet, sealed.header, sealed.ciphertext, sealed.context);
      const advanced: Session = { ...session, ratchet: decrypted.state, pendingPreKey: null };
      return {
        record: { ...record, sessions: withCurrentSession(record.sessions, advanced, session) },
        result: { plaintext: decrypted.plaintext, senderIdentity: record.peerIdentity, identityChanged: false },
      };
    } catch (error) {
      if (!(error instanceof DecryptError)) throw error;
      firstError ??= error;
    }
  }
  throw firstError ?? new DecryptError('no_session', `no session with device ${record.peerDevice}`);
}

/** Completes X3DH as responder and decrypts, or decrypts with the existing session this prekey message started. */
async function decryptPrekeyMessage(
  store: CryptoStore,
  own: StoredIdentity,
  record: PeerSessionRecord | undefined,
  entry: Extract<RecipientEntry, { type: 'prekey' }>,
  sender: string,
  sealed: SealedMessage,
): Promise<DecryptStep> {
  const initiator = identityKeysFromWire(entry.prekey.identity, 'prekey.identity', tamperedField);
  const ephemeralKey = decodeField(entry.prekey.ephemeralKey, 'prekey.ephemeralKey', tamperedField);

  // A prekey message for a session that already exists: the initiator keeps
  // sending prekey messages until it hears back, and a replay must not start
  // a second session. The stored identity was verified when that session
  // started, so an equal one needs no second signature check.
  const known = record && sameIdentity(record.peerIdentity, initiator)
    ? record.sessions.find((session) => constantTimeEqual(session.baseKey, ephemeralKey))
    : undefined;
  if (record && known) return decryptWithSessions(record, sealed, [known]);

  if (!(await verifyIdentityPublicKeys(initiator))) {
    throw new DecryptError(
      'bad_signature',
      `device ${sender} sent an identity DH key that its identity signing key did not sign`,
    );
  }

  const { signedPreKeyId, oneTimePreKeyId } = entry.prekey;
  const signedPreKey = await store.getSignedPreKey(signedPreKeyId);
  if (!signedPreKey) throw new DecryptError('no_session', `signed prekey ${signedPreKeyId} is unknown or was deleted`);

  const oneTimePreKey = oneTimePreKeyId === undefined ? null : await store.getOneTimePreKey(oneTimePreKeyId);
  if (oneTimePreKey === undefined) {
    throw new DecryptError('no_session', `one-time prekey ${oneTimePreKeyId} was already used or never existed`);
  }

  const x3dh = await respondX3dh({ identity: own.identity, signedPreKey, oneTimePreKey, initiator, ephemeralKey });
  const ratchet = initResponderRatchet(x3dh.sharedSecret, x3dh.associatedData, signedPreKey.keyPair);
  const decrypted = await ratchetDecrypt(ratchet, sealed.header, sealed.ciphertext, sealed.context);

  const session: Session = { baseKey: ephemeralKey, ratchet: decrypted.state, pendingPreKey: null };
  const identityChanged = record !== undefined && !sameIdentity(record.peerIdentity, initiator);
  const sessions = record && !identityChanged ? withCurrentSession(record.sessions, session) : [session];
  return {
    record: { peerDevice: sender, peerIdentity: initiator, sessions },
    result: { plaintext: decrypted.plaintext, senderIdentity: initiator, identityChanged },
    consumedOneTimePreKeyId: oneTimePreKey?.id ?? null,
  };
}
