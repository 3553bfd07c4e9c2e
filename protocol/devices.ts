// Request and response bodies of the key directory under /api/v1/devices:
// each browser's device registration, its one-time prekeys and the prekey
// bundles other devices claim to start a session. The edge enforces the
// request schemas; the PWA checks the responses with the response schemas.
// Counts are checked by the handlers so that errors name the limit.

import * as z from 'zod/mini';
import {
  deviceIdSchema,
  identityKeysWireSchema,
  preKeyBundleSchema,
  publicPreKeyWireSchema,
} from './envelope';

const userId = z.string().check(z.minLength(1), z.maxLength(64));
const count = z.number().check(z.int(), z.nonnegative());

/**
 * POST /api/v1/devices: registers this browser's device for the caller's
 * session, or with `deviceId` refreshes a device registered before (after a
 * new sign-in, or to replace the signed prekey). At most
 * ONE_TIME_PREKEYS_UPLOAD_MAX one-time prekeys may come along.
 */
export const registerDeviceRequestSchema = z.object({
  deviceId: z.optional(deviceIdSchema),
  identity: identityKeysWireSchema,
  signedPreKey: publicPreKeyWireSchema,
  oneTimePreKeys: z.optional(z.array(publicPreKeyWireSchema)),
});
export type RegisterDeviceRequest = z.infer<typeof registerDeviceRequestSchema>;

/** Response to POST /api/v1/devices: 201 for a new device, 200 for a refreshed one. */
export const registerDeviceResponseSchema = z.object({
  deviceId: deviceIdSchema,
  /** One-time prekeys the edge holds for this device after the call. */
  oneTimePreKeyCount: count,
});
export type RegisterDeviceResponse = z.infer<typeof registerDeviceResponseSchema>;

/** POST /api/v1/devices/current/prekeys: 1 to ONE_TIME_PREKEYS_UPLOAD_MAX new one-time prekeys. */
export const uploadPreKeysRequestSchema = z.object({
  oneTimePreKeys: z.array(publicPreKeyWireSchema),
});
export type UploadPreKeysRequest = z.infer<typeof uploadPreKeysRequestSchema>;

/** Response to GET and POST /api/v1/devices/current/prekeys: the one-time prekeys left for this device. */
export const preKeyCountResponseSchema = z.object({ count });
export type PreKeyCountResponse = z.infer<typeof preKeyCountResponseSchema>;

/**
 * POST /api/v1/devices/claim: bundles for every active device of each user,
 * except the caller's own device. `deviceIds` narrows the response to those
 * devices, so a client that already has sessions with the others spends none
 * of their one-time prekeys.
 */
export const claimBundlesRequestSchema = z.object({
  userIds: z.array(userId),
  deviceIds: z.optional(z.array(deviceIdSchema)),
});
export type ClaimBundlesRequest = z.infer<typeof claimBundlesRequestSchema>;

export const claimedDeviceSchema = z.object({
  deviceId: deviceIdSchema,
  bundle: preKeyBundleSchema,
});

export const claimBundlesResponseSchema = z.object({
  users: z.array(z.object({ userId, devices: z.array(claimedDeviceSchema) })),
});
export type ClaimBundlesResponse = z.infer<typeof claimBundlesResponseSchema>;

/** One active device and its public identity, without prekeys. */
export const deviceIdentitySchema = z.object({
  deviceId: deviceIdSchema,
  identity: identityKeysWireSchema,
});
export type DeviceIdentity = z.infer<typeof deviceIdentitySchema>;

/** Response to GET /api/v1/devices?userId=…: the user's active devices, for safety numbers and key-change checks. */
export const deviceListResponseSchema = z.object({
  userId,
  devices: z.array(deviceIdentitySchema),
});
export type DeviceListResponse = z.infer<typeof deviceListResponseSchema>;
