// Bundled into a page that browser.test.ts opens in Chromium: runs the
// library there on real IndexedDB and the Web Locks API, and returns what
// the test asserts on.

import { fromBase64Url, toBase64Url } from '../../../web/app/crypto/bytes';
import { decryptEnvelope } from '../../../web/app/crypto/decrypt-envelope';
import { encryptEnvelope } from '../../../web/app/crypto/encrypt-envelope';
import type { Envelope } from '../../../web/app/crypto/envelope';
import { generateDeviceIdentity, generateOneTimePreKeys, generateSignedPreKey } from '../../../web/app/crypto/identity';
import { buildPreKeyBundle, type PreKeyBundle } from '../../../web/app/crypto/prekey-bundle';
import { decodeHeader } from '../../../web/app/crypto/ratchet-header';
import { safetyNumber } from '../../../web/app/crypto/safety-number';
import { openSessionStore, type IndexedDbCryptoStore } from '../../../web/app/crypto/session-store';
import { BASE64_INVALID_TEXTS, BASE64_SAMPLE_LENGTHS, base64Sample } from './base64-cases';

export interface BrowserRunResult {
  hasWebLocks: boolean;
  conversation: string[];
  concurrentMessageNumbers: number[];
  concurrentTexts: string[];
  storedPrivateKeyExtractable: boolean;
  safetyNumber: string;
  base64: Base64Run;
}

/** What the base64url helpers did in Chromium, which has the native Uint8Array base64 methods that Node 20 lacks. */
export interface Base64Run {
  nativeMethods: boolean;
  /** The encoding of `base64Sample(length)` for each length from 0 to BASE64_SAMPLE_LENGTHS - 1. */
  encodings: string[];
  /** Per encoding, whether decoding it gave the sample back. */
  roundTrips: boolean[];
  /** Per text of BASE64_INVALID_TEXTS, the name of the error decoding it threw, or 'none'. */
  rejections: string[];
}

function runBase64(): Base64Run {
  const nativeMethods = typeof (Uint8Array as unknown as { fromBase64?: unknown }).fromBase64 === 'function';
  const samples = Array.from({ length: BASE64_SAMPLE_LENGTHS }, (_, length) => base64Sample(length));
  const encodings = samples.map((bytes) => toBase64Url(bytes));
  const roundTrips = encodings.map((text, index) => fromBase64Url(text).join() === samples[index]!.join());
  const rejections = BASE64_INVALID_TEXTS.map((text) => {
    try {
      fromBase64Url(text);
      return 'none';
    } catch (error) {
      return error instanceof Error ? error.name : 'not an Error';
    }
  });
  return { nativeMethods, encodings, roundTrips, rejections };
}

interface Device {
  deviceId: string;
  databaseName: string;
  store: IndexedDbCryptoStore;
  bundle: () => PreKeyBundle;
}

async function createDevice(deviceId: string): Promise<Device> {
  const identity = await generateDeviceIdentity();
  const signedPreKey = await generateSignedPreKey(identity, 1);
  const oneTimePreKeys = await generateOneTimePreKeys(identity, 1, 3);
  const databaseName = `browser-${deviceId}`;
  const store = await openSessionStore(databaseName);
  await store.putIdentity({ deviceId, identity });
  await store.putSignedPreKey(signedPreKey);
  await store.putOneTimePreKeys(oneTimePreKeys);
  return { deviceId, databaseName, store, bundle: () => buildPreKeyBundle(identity, signedPreKey, oneTimePreKeys.shift()) };
}

async function send(store: IndexedDbCryptoStore, to: Device, text: string): Promise<Envelope> {
  const envelope = await encryptEnvelope(store, { kind: 'text', text }, [to.deviceId], async () => to.bundle());
  return JSON.parse(JSON.stringify(envelope)) as Envelope;
}

async function receive(device: Device, envelope: Envelope): Promise<string> {
  const decrypted = await decryptEnvelope(device.store, envelope);
  return decrypted.payload.kind === 'text' ? decrypted.payload.text : `unexpected ${decrypted.payload.kind}`;
}

async function run(signingKeysBase64Url: [string, string]): Promise<BrowserRunResult> {
  const alice = await createDevice('alice-phone');
  const bob = await createDevice('bob-desktop');

  const conversation = [
    await receive(bob, await send(alice.store, bob, 'a0 你好')),
    await receive(alice, await send(bob.store, alice, 'b0')),
    await receive(bob, await send(alice.store, bob, 'a1')),
  ];

  // A second store instance on Alice's database stands for a second tab.
  const secondTab = await openSessionStore(alice.databaseName);
  const envelopes = await Promise.all(
    Array.from({ length: 8 }, (_, i) => send(i % 2 === 0 ? alice.store : secondTab, bob, `tab${i % 2}-${i}`)),
  );
  const concurrentMessageNumbers = envelopes.map(
    (envelope) => decodeHeader(fromBase64Url(envelope.recipients[0]!.header)).messageNumber,
  );
  const concurrentTexts: string[] = [];
  for (const envelope of envelopes) concurrentTexts.push(await receive(bob, envelope));

  const reopened = await openSessionStore(alice.databaseName);
  const stored = await reopened.getIdentity();

  const number = await safetyNumber(
    { userId: 'u-alice', identityKeys: [fromBase64Url(signingKeysBase64Url[0])] },
    { userId: 'u-bob', identityKeys: [fromBase64Url(signingKeysBase64Url[1])] },
  );

  return {
    hasWebLocks: typeof navigator.locks?.request === 'function',
    conversation,
    concurrentMessageNumbers,
    concurrentTexts,
    storedPrivateKeyExtractable: stored!.identity.dh.privateKey.extractable,
    safetyNumber: number,
    base64: runBase64(),
  };
}

declare global {
  interface Window {
    runCryptoInBrowser: typeof run;
  }
}

window.runCryptoInBrowser = run;
