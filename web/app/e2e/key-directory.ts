// The key directory routes as the PWA calls them (protocol/devices.ts). The
// rest of web/app/e2e/ takes the interface, so unit tests can run several
// devices against an in-memory directory.

import {
  claimBundlesResponseSchema,
  deviceListResponseSchema,
  preKeyCountResponseSchema,
  registerDeviceResponseSchema,
  type DeviceIdentity,
  type RegisterDeviceRequest,
  type RegisterDeviceResponse,
} from '../../../protocol/devices';
import type { PreKeyBundle, PublicPreKeyWire } from '../../../protocol/envelope';
import { requestApi } from '../net/http';

export interface ClaimedBundle {
  userId: string;
  deviceId: string;
  bundle: PreKeyBundle;
}

export interface KeyDirectory {
  /** Registers this browser's device, or refreshes it when `deviceId` is set; an unknown id fails with ApiError `not_found`. */
  registerDevice(request: RegisterDeviceRequest): Promise<RegisterDeviceResponse>;
  /** The user's active devices with their identity keys. */
  listDevices(userId: string): Promise<DeviceIdentity[]>;
  /** Bundles of these users' active devices, narrowed to `deviceIds`; each one-time prekey is handed out once. */
  claimBundles(userIds: string[], deviceIds: string[]): Promise<ClaimedBundle[]>;
  /** One-time prekeys the directory still holds for this device. */
  countPreKeys(): Promise<number>;
  /** Uploads one-time prekeys and returns the new count. */
  uploadPreKeys(keys: PublicPreKeyWire[]): Promise<number>;
}

export const httpKeyDirectory: KeyDirectory = {
  registerDevice(request) {
    return requestApi('POST', '/devices', registerDeviceResponseSchema, request);
  },

  async listDevices(userId) {
    const path = `/devices?userId=${encodeURIComponent(userId)}`;
    return (await requestApi('GET', path, deviceListResponseSchema)).devices;
  },

  async claimBundles(userIds, deviceIds) {
    const response = await requestApi('POST', '/devices/claim', claimBundlesResponseSchema, { userIds, deviceIds });
    return response.users.flatMap((user) =>
      user.devices.map((device) => ({ userId: user.userId, deviceId: device.deviceId, bundle: device.bundle })),
    );
  },

  async countPreKeys() {
    return (await requestApi('GET', '/devices/current/prekeys', preKeyCountResponseSchema)).count;
  },

  async uploadPreKeys(keys) {
    const response = await requestApi('POST', '/devices/current/prekeys', preKeyCountResponseSchema, {
      oneTimePreKeys: keys,
    });
    return response.count;
  },
};

/** The identity keys the directory lists for a device differ from those in its bundle. */
export class InconsistentKeysError extends Error {
  override readonly name = 'InconsistentKeysError';
}

/**
 * Checks that a claimed bundle carries the identity its device list shows.
 * Safety numbers and key-change notices are computed from the lists, so a
 * session must never start from keys that differ from them.
 */
export function checkBundleIdentity(listed: DeviceIdentity | undefined, claimed: ClaimedBundle): void {
  const identity = claimed.bundle.identity;
  const same =
    listed !== undefined &&
    listed.identity.signingKey === identity.signingKey &&
    listed.identity.dhKey === identity.dhKey &&
    listed.identity.dhKeySignature === identity.dhKeySignature;
  if (!same) {
    throw new InconsistentKeysError(`the bundle of device ${claimed.deviceId} has other identity keys than its device list`);
  }
}
