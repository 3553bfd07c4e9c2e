// The key directory: device registration, one-time prekey upload and count,
// prekey bundle claims and device lists. A device belongs to the session it
// registered with and is active while that session is.

import { Hono } from 'hono';
import {
  claimBundlesRequestSchema,
  registerDeviceRequestSchema,
  uploadPreKeysRequestSchema,
  type ClaimBundlesResponse,
  type DeviceListResponse,
  type PreKeyCountResponse,
  type RegisterDeviceRequest,
  type RegisterDeviceResponse,
} from '../../protocol/devices';
import type { PreKeyBundle } from '../../protocol/envelope';
import {
  DEVICES_PER_USER_MAX,
  ONE_TIME_PREKEYS_LOW_THRESHOLD,
  ONE_TIME_PREKEYS_PER_DEVICE_MAX,
} from '../../protocol/limits';
import { requireSession } from '../auth/authenticate';
import { newId } from '../auth/tokens';
import {
  addOneTimePreKeys,
  claimBundles,
  countOneTimePreKeys,
  findDevice,
  findDeviceOfSession,
  listActiveDevices,
  refreshDevice,
  registerDevice,
  type ClaimedBundle,
  type DeviceRecord,
} from '../db/devices';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { readJsonBody } from '../http/json-body';
import { checkKeySignatures } from '../keys/key-signatures';
import { checkClaimLists, checkPreKeyUpload } from '../keys/request-rules';
import type { Logger } from '../log';
import { userObject } from '../objects/user-object';
import { notifyRelationsChanged } from '../relations/relation-changes';

export const deviceRoutes = new Hono<AppEnv>();

// Hono's `/devices/*` also matches `/devices` itself, so this covers every route here.
deviceRoutes.use('/devices/*', requireSession);

deviceRoutes.post('/devices', async (c) => {
  const body = await readJsonBody(c, registerDeviceRequestSchema);
  const oneTimePreKeys = checkPreKeyUpload(body.oneTimePreKeys ?? [], { allowEmpty: true });
  const failure = await checkKeySignatures(body.identity, body.signedPreKey, oneTimePreKeys);
  if (failure) throw new ApiError(400, 'invalid_request', failure.message, { field: failure.field });

  const session = c.var.session;
  if (body.deviceId !== undefined) {
    const response = await refreshOwnDevice(c.env.DB, c.var.log, session, body.deviceId, body);
    await notifyRelationsChanged(c.env, c.var.log, session.userId);
    return c.json(response, 200);
  }

  const deviceId = newId();
  const outcome = await registerDevice(
    c.env.DB,
    {
      id: deviceId,
      userId: session.userId,
      sessionId: session.id,
      identity: body.identity,
      signedPreKey: body.signedPreKey,
      oneTimePreKeys,
      maxPreKeys: ONE_TIME_PREKEYS_PER_DEVICE_MAX,
      now: Date.now(),
    },
    DEVICES_PER_USER_MAX,
  );
  if (!outcome.ok) {
    throw new ApiError(
      409,
      'too_many_devices',
      `You have ${outcome.activeDevices} signed-in devices; the maximum is ${DEVICES_PER_USER_MAX}. Sign out of one in settings first.`,
      { limit: DEVICES_PER_USER_MAX, value: outcome.activeDevices },
    );
  }

  await notifyRelationsChanged(c.env, c.var.log, session.userId);
  c.var.log.info('registered a device', { deviceId, preKeys: outcome.oneTimePreKeyCount });
  const response: RegisterDeviceResponse = { deviceId, oneTimePreKeyCount: outcome.oneTimePreKeyCount };
  return c.json(response, 201);
});

deviceRoutes.get('/devices', async (c) => {
  const userId = c.req.query('userId');
  if (!userId) {
    throw new ApiError(400, 'invalid_request', 'GET /devices needs the query parameter userId.', { field: 'userId' });
  }

  const devices = await listActiveDevices(c.env.DB, [userId]);
  const response: DeviceListResponse = {
    userId,
    devices: devices.map((device) => ({ deviceId: device.id, identity: device.identity })),
  };
  return c.json(response);
});

deviceRoutes.get('/devices/current/prekeys', async (c) => {
  const device = await requireOwnDevice(c.env.DB, c.var.session.id);
  const response: PreKeyCountResponse = { count: await countOneTimePreKeys(c.env.DB, device.id) };
  return c.json(response);
});

deviceRoutes.post('/devices/current/prekeys', async (c) => {
  const body = await readJsonBody(c, uploadPreKeysRequestSchema);
  const keys = checkPreKeyUpload(body.oneTimePreKeys, { allowEmpty: false });
  const device = await requireOwnDevice(c.env.DB, c.var.session.id);
  const failure = await checkKeySignatures(device.identity, undefined, keys);
  if (failure) throw new ApiError(400, 'invalid_request', failure.message, { field: failure.field });

  const outcome = await addOneTimePreKeys(c.env.DB, device.id, keys, ONE_TIME_PREKEYS_PER_DEVICE_MAX);
  if (!outcome.ok) throw tooManyPreKeys(outcome.wouldHold);

  c.var.log.debug('stored one-time prekeys', { deviceId: device.id, count: outcome.count });
  const response: PreKeyCountResponse = { count: outcome.count };
  return c.json(response);
});

deviceRoutes.post('/devices/claim', async (c) => {
  const body = await readJsonBody(c, claimBundlesRequestSchema);
  checkClaimLists(body.userIds, body.deviceIds);
  const own = await requireOwnDevice(c.env.DB, c.var.session.id);

  const userIds = [...new Set(body.userIds)];
  const claimed = await claimBundles(c.env.DB, { userIds, deviceIds: body.deviceIds, callerDeviceId: own.id });
  await notifyLowSupply(c.env, c.var.log, claimed);

  const response: ClaimBundlesResponse = {
    users: userIds.map((userId) => ({
      userId,
      devices: claimed
        .filter((entry) => entry.device.userId === userId)
        .map((entry) => ({ deviceId: entry.device.id, bundle: bundleOf(entry) })),
    })),
  };
  return c.json(response);
});

async function refreshOwnDevice(
  d1: D1Database,
  log: Logger,
  session: AppEnv['Variables']['session'],
  deviceId: string,
  body: RegisterDeviceRequest,
): Promise<RegisterDeviceResponse> {
  const device = await findDevice(d1, deviceId);
  if (!device || device.userId !== session.userId) throw notFound(`A device of yours with the id ${JSON.stringify(deviceId)}`);
  if (!sameIdentity(device, body)) {
    throw new ApiError(
      403,
      'forbidden',
      `Device ${deviceId} is registered with other identity keys; register this browser as a new device by leaving out deviceId.`,
      { field: 'identity' },
    );
  }

  const stored = await countOneTimePreKeys(d1, deviceId);
  const fresh = (body.oneTimePreKeys ?? []).length;
  if (stored + fresh > ONE_TIME_PREKEYS_PER_DEVICE_MAX) throw tooManyPreKeys(stored + fresh);

  const count = await refreshDevice(d1, {
    deviceId,
    sessionId: session.id,
    signedPreKey: body.signedPreKey,
    oneTimePreKeys: body.oneTimePreKeys ?? [],
    maxPreKeys: ONE_TIME_PREKEYS_PER_DEVICE_MAX,
    now: Date.now(),
  });
  log.info('refreshed a device', { deviceId, preKeys: count });
  return { deviceId, oneTimePreKeyCount: count };
}

function sameIdentity(device: DeviceRecord, body: RegisterDeviceRequest): boolean {
  return (
    device.identity.signingKey === body.identity.signingKey &&
    device.identity.dhKey === body.identity.dhKey &&
    device.identity.dhKeySignature === body.identity.dhKeySignature
  );
}

async function requireOwnDevice(d1: D1Database, sessionId: string): Promise<DeviceRecord> {
  const device = await findDeviceOfSession(d1, sessionId);
  if (device) return device;
  throw new ApiError(
    403,
    'device_not_registered',
    'This session has no registered device; register one with POST /api/v1/devices first.',
  );
}

function tooManyPreKeys(wouldHold: number): ApiError {
  return new ApiError(
    400,
    'too_many_prekeys',
    `The device would hold ${wouldHold} one-time prekeys; the maximum is ${ONE_TIME_PREKEYS_PER_DEVICE_MAX}.`,
    { field: 'oneTimePreKeys', limit: ONE_TIME_PREKEYS_PER_DEVICE_MAX, value: wouldHold },
  );
}

function bundleOf(entry: ClaimedBundle): PreKeyBundle {
  const bundle: PreKeyBundle = { identity: entry.device.identity, signedPreKey: entry.device.signedPreKey };
  if (entry.oneTimePreKey) bundle.oneTimePreKey = entry.oneTimePreKey;
  return bundle;
}

/**
 * Tells each handed-out device that fell below ONE_TIME_PREKEYS_LOW_THRESHOLD
 * to upload more, through its user's Durable Object. A failure is logged and
 * not raised: the claim is complete, and the device also checks its count
 * each time it connects.
 */
async function notifyLowSupply(env: AppEnv['Bindings'], log: Logger, claimed: readonly ClaimedBundle[]): Promise<void> {
  for (const entry of claimed) {
    if (entry.remaining >= ONE_TIME_PREKEYS_LOW_THRESHOLD) continue;

    const { device, remaining } = entry;
    try {
      await userObject(env, device.userId).notifyPreKeysLow(device.sessionId, remaining);
    } catch (error) {
      log.warn('telling a device its one-time prekeys run low failed', { deviceId: device.id, remaining, error });
    }
  }
}
