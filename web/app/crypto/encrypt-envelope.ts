// Encrypts one payload for several devices into one envelope, starting an
// X3DH session with any device that has none.
//
// Encrypt once and keep the envelope in the outbox: a retry must resend the
// same envelope with the same cid. Encrypting again would use new message
// keys, and the server drops the copy with the known cid anyway.

import { toBase64Url } from './bytes';
import { requireIdentity, type CryptoStore, type StoredIdentity } from './crypto-store';
import {
  deviceContext,
  ENVELOPE_RECIPIENTS_MAX,
  ENVELOPE_VERSION,
  requireDeviceId,
  type Envelope,
  type RecipientEntry,
} from './envelope';
import { encodePayload, type Payload } from './payload';
import { identityKeysToWire, verifyPreKeyBundle, type VerifiedPreKeyBundle } from './prekey-bundle';
import { canSend, initInitiatorRatchet, ratchetEncrypt } from './ratchet';
import { sameIdentity, withCurrentSession, type PeerSessionRecord, type Session } from './session-record';
import { initiateX3dh } from './x3dh';
import type { Bytes } from './bytes';

/** Fetches the prekey bundle of a device from the server; its JSON is checked here. */
export type FetchPreKeyBundle = (device: string) => Promise<unknown>;

/**
 * Encrypts `payload` for every device in `recipientDevices`. The current
 * device must not be among them: it keeps its own copy in plaintext. An
 * empty list gives an envelope without entries, for a note to self from a
 * user's only device or a peer with no signed-in device.
 * Each device's session advances and is stored even if a later device
 * fails, which costs nothing: the receiver skips the unused message key.
 */
export async function encryptEnvelope(
  store: CryptoStore,
  payload: Payload,
  recipientDevices: string[],
  fetchBundle: FetchPreKeyBundle,
): Promise<Envelope> {
  const own = await requireIdentity(store);
  checkRecipients(own.deviceId, recipientDevices);
  const plaintext = encodePayload(payload);

  const recipients: RecipientEntry[] = [];
  for (const device of recipientDevices) {
    recipients.push(await encryptForDevice(store, own, device, plaintext, fetchBundle));
  }
  return { v: ENVELOPE_VERSION, senderDevice: own.deviceId, recipients };
}

function checkRecipients(ownDevice: string, devices: string[]): void {
  if (devices.length > ENVELOPE_RECIPIENTS_MAX) {
    throw new RangeError(
      `${devices.length} recipient devices is more than ENVELOPE_RECIPIENTS_MAX (${ENVELOPE_RECIPIENTS_MAX})`,
    );
  }

  const seen = new Set<string>();
  for (const device of devices) {
    requireDeviceId(device, 'recipient device id');
    if (device === ownDevice) {
      throw new RangeError(`recipient device ${device} is this device, which keeps its own plaintext`);
    }
    if (seen.has(device)) throw new RangeError(`recipient device ${device} is listed twice`);
    seen.add(device);
  }
}

function hasSendingSession(record: PeerSessionRecord | undefined): record is PeerSessionRecord {
  const current = record?.sessions[0];
  return current !== undefined && canSend(current.ratchet);
}

async function encryptForDevice(
  store: CryptoStore,
  own: StoredIdentity,
  device: string,
  plaintext: Bytes,
  fetchBundle: FetchPreKeyBundle,
): Promise<RecipientEntry> {
  // Fetching the bundle before the store's exclusive section keeps network
  // round trips out of the lock. The step fetches only if another writer
  // removed the session in between.
  let bundle: VerifiedPreKeyBundle | null = null;
  if (!hasSendingSession(await store.getPeerRecord(device))) {
    bundle = await verifyPreKeyBundle(await fetchBundle(device));
  }

  const context = deviceContext(own.deviceId, device);
  return store.updatePeerRecord(device, async (current) => {
    let record = current;
    if (!hasSendingSession(record)) {
      bundle ??= await verifyPreKeyBundle(await fetchBundle(device));
      record = await startSession(own, device, bundle, record);
    }

    const session = record.sessions[0]!;
    const encrypted = await ratchetEncrypt(session.ratchet, plaintext, context);
    const advanced: Session = { ...session, ratchet: encrypted.state };
    const entry = buildEntry(own, device, advanced, encrypted.header, encrypted.ciphertext);
    return { record: { ...record, sessions: withCurrentSession(record.sessions, advanced, session) }, result: entry };
  });
}

/**
 * Runs X3DH as initiator against a verified bundle and puts the new session
 * first. Older sessions stay while the identity is unchanged, so messages
 * already sent under them still decrypt.
 */
export async function startSession(
  own: StoredIdentity,
  device: string,
  bundle: VerifiedPreKeyBundle,
  previous: PeerSessionRecord | undefined,
): Promise<PeerSessionRecord> {
  const x3dh = await initiateX3dh(own.identity, bundle);
  const session: Session = {
    baseKey: x3dh.ephemeralKey,
    ratchet: await initInitiatorRatchet(x3dh.sharedSecret, x3dh.associatedData, x3dh.remoteSignedPreKey),
    pendingPreKey: {
      ephemeralKey: x3dh.ephemeralKey,
      signedPreKeyId: x3dh.signedPreKeyId,
      oneTimePreKeyId: x3dh.oneTimePreKeyId,
    },
  };

  const keepOld = previous !== undefined && sameIdentity(previous.peerIdentity, bundle.identity);
  return {
    peerDevice: device,
    peerIdentity: bundle.identity,
    sessions: keepOld ? withCurrentSession(previous.sessions, session) : [session],
  };
}

function buildEntry(
  own: StoredIdentity,
  device: string,
  session: Session,
  header: Bytes,
  ciphertext: Bytes,
): RecipientEntry {
  const fields = { device, header: toBase64Url(header), ciphertext: toBase64Url(ciphertext) };
  const pending = session.pendingPreKey;
  if (!pending) return { type: 'message', ...fields };

  const prekey = {
    identity: identityKeysToWire(own.identity.publicKeys),
    ephemeralKey: toBase64Url(pending.ephemeralKey),
    signedPreKeyId: pending.signedPreKeyId,
    ...(pending.oneTimePreKeyId === null ? {} : { oneTimePreKeyId: pending.oneTimePreKeyId }),
  };
  return { type: 'prekey', ...fields, prekey };
}
