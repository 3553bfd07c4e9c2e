// Encryption of one outbox entry for the edge: every active device of the
// recipient and every other device of the sender, claiming a prekey bundle
// for each device this browser has no session with yet.

import type { DeviceIdentity } from '../../../protocol/devices';
import { ENVELOPE_MAX_BYTES, countUtf8Bytes } from '../../../protocol/limits';
import type { CryptoStore } from '../crypto/crypto-store';
import { encryptEnvelope } from '../crypto/encrypt-envelope';
import type { Payload } from '../crypto/payload';
import type { SealOutcome } from '../net/socket-io';
import type { OutgoingContent } from '../store/db';
import type { DeviceLists } from './device-lists';
import { checkBundleIdentity, InconsistentKeysError, type ClaimedBundle, type KeyDirectory } from './key-directory';

export interface SealContext {
  me: string;
  ownDeviceId: string;
  store: CryptoStore;
  directory: KeyDirectory;
  devices: DeviceLists;
}

export async function sealContent(context: SealContext, to: string, content: OutgoingContent): Promise<SealOutcome> {
  const targets = await targetDevices(context, to);
  const bundles = await claimMissing(context, to, targets);
  const fetchBundle = async (deviceId: string) => bundleFor(context, to, targets, bundles, deviceId);

  const envelope = await encryptEnvelope(
    context.store,
    payloadOf(content),
    targets.map((device) => device.deviceId),
    fetchBundle,
  );

  const bytes = countUtf8Bytes(JSON.stringify(envelope));
  if (bytes > ENVELOPE_MAX_BYTES) {
    return { ok: false, failure: { code: 'envelope_too_large', limit: ENVELOPE_MAX_BYTES, value: bytes } };
  }
  return { ok: true, envelope };
}

function payloadOf(content: OutgoingContent): Payload {
  switch (content.type) {
    case 'text':
      return { kind: 'text', text: content.text };
    case 'session_reset':
      return { kind: 'session_reset' };
    case 'sender_key':
      return { kind: 'sender_key', ...content.distribution };
    default: {
      const unreachable: never = content;
      throw new Error(`no payload for outgoing content ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Returns the recipient's devices and the sender's other devices, each once. */
async function targetDevices(context: SealContext, to: string): Promise<DeviceIdentity[]> {
  const lists = to === context.me ? [await context.devices.get(to)] : await Promise.all([
    context.devices.get(to),
    context.devices.get(context.me),
  ]);

  const targets = new Map<string, DeviceIdentity>();
  for (const device of lists.flat()) {
    if (device.deviceId !== context.ownDeviceId) targets.set(device.deviceId, device);
  }
  return [...targets.values()];
}

/** Claims bundles, in one request, for the target devices this browser has no session with. */
async function claimMissing(context: SealContext, to: string, targets: DeviceIdentity[]): Promise<Map<string, ClaimedBundle>> {
  const missing: string[] = [];
  for (const device of targets) {
    const record = await context.store.getPeerRecord(device.deviceId);
    if (!record || record.sessions.length === 0) missing.push(device.deviceId);
  }
  if (missing.length === 0) return new Map();

  const users = to === context.me ? [to] : [to, context.me];
  const claimed = await context.directory.claimBundles(users, missing);
  return new Map(claimed.map((entry) => [entry.deviceId, entry]));
}

/**
 * Returns the bundle for a device, claiming it now if the first claim did not
 * cover it. The bundle's identity must be the one the device list shows,
 * because safety numbers and key-change notices are computed from the list.
 */
async function bundleFor(
  context: SealContext,
  to: string,
  targets: DeviceIdentity[],
  bundles: Map<string, ClaimedBundle>,
  deviceId: string,
): Promise<unknown> {
  let claimed = bundles.get(deviceId);
  if (!claimed) {
    const users = to === context.me ? [to] : [to, context.me];
    claimed = (await context.directory.claimBundles(users, [deviceId])).find((entry) => entry.deviceId === deviceId);
  }
  if (!claimed) throw new InconsistentKeysError(`the directory has no bundle for device ${deviceId}`);

  checkBundleIdentity(
    targets.find((device) => device.deviceId === deviceId),
    claimed,
  );
  return claimed.bundle;
}
