// Bundled into the page that bench/crypto/run.mjs opens in Chromium: times
// encrypting one 1 KiB text for N recipient devices and decrypting it on
// each, with sessions already established (the steady state of a chat).

import { decryptEnvelope } from '../../web/app/crypto/decrypt-envelope';
import { encryptEnvelope } from '../../web/app/crypto/encrypt-envelope';
import type { Envelope } from '../../web/app/crypto/envelope';
import { generateDeviceIdentity, generateOneTimePreKeys, generateSignedPreKey } from '../../web/app/crypto/identity';
import { buildPreKeyBundle, type PreKeyBundle } from '../../web/app/crypto/prekey-bundle';
import { openSessionStore, type IndexedDbCryptoStore } from '../../web/app/crypto/session-store';
import { ENVELOPE_RECIPIENTS_MAX } from '../../protocol/limits';

export interface CryptoBenchRow {
  devices: number;
  envelopes: number;
  encryptMs: number;
  decryptAllMs: number;
  envelopeBytes: number;
}

interface Device {
  deviceId: string;
  store: IndexedDbCryptoStore;
  bundle: () => PreKeyBundle;
}

const TEXT_1_KIB = 'x'.repeat(1024);

async function createDevice(deviceId: string): Promise<Device> {
  const identity = await generateDeviceIdentity();
  const signedPreKey = await generateSignedPreKey(identity, 1);
  const oneTimePreKeys = await generateOneTimePreKeys(identity, 1, 2);
  const store = await openSessionStore(`bench-${deviceId}-${crypto.randomUUID()}`);
  await store.putIdentity({ deviceId, identity });
  await store.putSignedPreKey(signedPreKey);
  await store.putOneTimePreKeys(oneTimePreKeys);
  return { deviceId, store, bundle: () => buildPreKeyBundle(identity, signedPreKey, oneTimePreKeys.shift()) };
}

/** Splits recipients into envelopes of at most ENVELOPE_RECIPIENTS_MAX devices, as a sender must. */
async function encryptForAll(sender: Device, recipients: Device[]): Promise<Envelope[]> {
  const byId = new Map(recipients.map((device) => [device.deviceId, device]));
  const envelopes: Envelope[] = [];
  for (let start = 0; start < recipients.length; start += ENVELOPE_RECIPIENTS_MAX) {
    const ids = recipients.slice(start, start + ENVELOPE_RECIPIENTS_MAX).map((device) => device.deviceId);
    envelopes.push(
      await encryptEnvelope(sender.store, { kind: 'text', text: TEXT_1_KIB }, ids, async (id) => byId.get(id)!.bundle()),
    );
  }
  return envelopes;
}

async function decryptOnAll(recipients: Device[], envelopes: Envelope[]): Promise<void> {
  for (const [index, device] of recipients.entries()) {
    const envelope = envelopes[Math.floor(index / ENVELOPE_RECIPIENTS_MAX)]!;
    await decryptEnvelope(device.store, envelope);
  }
}

async function measure(deviceCount: number, repetitions: number): Promise<CryptoBenchRow> {
  const sender = await createDevice('sender');
  const recipients: Device[] = [];
  for (let i = 0; i < deviceCount; i++) recipients.push(await createDevice(`device-${i}`));

  // The first message runs X3DH for every device; the timed ones that follow use the ratchet.
  await decryptOnAll(recipients, await encryptForAll(sender, recipients));

  const encryptTimes: number[] = [];
  const decryptTimes: number[] = [];
  let envelopes: Envelope[] = [];
  for (let i = 0; i < repetitions; i++) {
    const encryptStart = performance.now();
    envelopes = await encryptForAll(sender, recipients);
    encryptTimes.push(performance.now() - encryptStart);

    const decryptStart = performance.now();
    await decryptOnAll(recipients, envelopes);
    decryptTimes.push(performance.now() - decryptStart);
  }

  return {
    devices: deviceCount,
    envelopes: envelopes.length,
    encryptMs: median(encryptTimes),
    decryptAllMs: median(decryptTimes),
    envelopeBytes: envelopes.reduce((total, envelope) => total + JSON.stringify(envelope).length, 0),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

declare global {
  interface Window {
    runCryptoBench: (deviceCounts: number[], repetitions: number) => Promise<CryptoBenchRow[]>;
  }
}

window.runCryptoBench = async (deviceCounts, repetitions) => {
  const rows: CryptoBenchRow[] = [];
  for (const count of deviceCounts) rows.push(await measure(count, repetitions));
  return rows;
};
