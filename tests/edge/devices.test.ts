import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { DeviceListResponse, RegisterDeviceResponse } from '../../protocol/devices';
import type { ErrorBody } from '../../protocol/errors';
import { DEVICES_PER_USER_MAX, ONE_TIME_PREKEYS_UPLOAD_MAX } from '../../protocol/limits';
import { hashToken, newId, newToken } from '../../edge/auth/tokens';
import { PHONE_USER_AGENT, callApi, registerUser, signIn } from './fixtures/accounts';
import {
  activeDeviceIds,
  makeDeviceKeys,
  makeOneTimePreKeys,
  registerDevice,
  registerUserWithDevice,
} from './fixtures/devices';

/**
 * Opens `count` more active sessions for a user straight in D1. Sign-in keeps
 * one session per device class, and the device cap needs more.
 */
async function extraSessions(userId: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const token = newToken();
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO sessions (id, user_id, token_hash, device_class, user_agent, created_at, last_seen_at)
       VALUES (?, ?, ?, 'desktop', 'test', ?, ?)`,
    )
      .bind(newId(), userId, await hashToken(token), now, now)
      .run();
    tokens.push(token);
  }
  return tokens;
}

describe('device registration', () => {
  it('new device is listed as active', async () => {
    const { user, device } = await registerUserWithDevice({ preKeys: 3 });

    const response = await callApi(`/devices?userId=${user.user.id}`, { token: user.token });
    const list = await response.json<DeviceListResponse>();

    expect(response.status).toBe(200);
    expect(list).toEqual({ userId: user.user.id, devices: [{ deviceId: device.deviceId, identity: device.identity }] });
  });

  it('reports the stored prekey count', async () => {
    const user = await registerUser();
    const keys = await makeDeviceKeys();

    const response = await callApi('/devices', {
      method: 'POST',
      token: user.token,
      body: {
        identity: keys.identity,
        signedPreKey: keys.signedPreKey,
        oneTimePreKeys: await makeOneTimePreKeys(keys.signing, 1, ONE_TIME_PREKEYS_UPLOAD_MAX),
      },
    });

    expect(response.status).toBe(201);
    expect((await response.json<RegisterDeviceResponse>()).oneTimePreKeyCount).toBe(ONE_TIME_PREKEYS_UPLOAD_MAX);
  });

  it('bad identity signature is rejected', async () => {
    const user = await registerUser();
    const keys = await makeDeviceKeys();
    const other = await makeDeviceKeys();

    const response = await callApi('/devices', {
      method: 'POST',
      token: user.token,
      body: { identity: { ...keys.identity, dhKeySignature: other.identity.dhKeySignature }, signedPreKey: keys.signedPreKey },
    });
    const body = await response.json<ErrorBody>();

    expect(response.status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.field).toBe('identity.dhKeySignature');
  });

  it('bad one-time prekey signature is rejected', async () => {
    const user = await registerUser();
    const keys = await makeDeviceKeys();
    const stranger = await makeDeviceKeys();
    const preKeys = [
      ...(await makeOneTimePreKeys(keys.signing, 1, 2)),
      ...(await makeOneTimePreKeys(stranger.signing, 3, 1)),
    ];

    const response = await callApi('/devices', {
      method: 'POST',
      token: user.token,
      body: { identity: keys.identity, signedPreKey: keys.signedPreKey, oneTimePreKeys: preKeys },
    });

    expect(response.status).toBe(400);
    expect((await response.json<ErrorBody>()).error.field).toBe('oneTimePreKeys.2.signature');
  });

  it('key field of the wrong size is rejected', async () => {
    const user = await registerUser();
    const keys = await makeDeviceKeys();

    const response = await callApi('/devices', {
      method: 'POST',
      token: user.token,
      body: { identity: { ...keys.identity, dhKey: keys.identity.dhKey + 'A' }, signedPreKey: keys.signedPreKey },
    });
    const body = await response.json<ErrorBody>();

    expect(response.status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.field).toBe('identity.dhKey');
  });

  it('needs a session', async () => {
    const keys = await makeDeviceKeys();

    const response = await callApi('/devices', {
      method: 'POST',
      body: { identity: keys.identity, signedPreKey: keys.signedPreKey },
    });

    expect(response.status).toBe(401);
  });

  it('second registration replaces the session device', async () => {
    const user = await registerUser();
    const first = await registerDevice(user);

    const second = await registerDevice(user);

    expect(await activeDeviceIds(user.token, user.user.id)).toEqual([second.deviceId]);
    expect(second.deviceId).not.toBe(first.deviceId);
  });
});

describe('device lifecycle', () => {
  it('signed-out device leaves the active list', async () => {
    const { user, device } = await registerUserWithDevice();
    const phone = await signIn(user.username, { userAgent: PHONE_USER_AGENT });
    const phoneDevice = await registerDevice(phone);
    const before = await activeDeviceIds(phone.token, user.user.id);

    const signOut = await callApi('/sessions/current', { method: 'DELETE', token: user.token });

    expect(signOut.status).toBe(204);
    expect(before).toEqual([device.deviceId, phoneDevice.deviceId]);
    expect(await activeDeviceIds(phone.token, user.user.id)).toEqual([phoneDevice.deviceId]);
  });

  it('forced-offline device leaves the active list', async () => {
    const { user, device } = await registerUserWithDevice();
    const before = await activeDeviceIds(user.token, user.user.id);

    const newer = await signIn(user.username);

    expect(before).toEqual([device.deviceId]);
    expect(await activeDeviceIds(newer.token, user.user.id)).toEqual([]);
  });

  it('refresh with a new session returns', async () => {
    const { user, device } = await registerUserWithDevice();
    const newer = await signIn(user.username);

    const response = await callApi('/devices', {
      method: 'POST',
      token: newer.token,
      body: { deviceId: device.deviceId, identity: device.identity, signedPreKey: device.signedPreKey },
    });

    expect(response.status).toBe(200);
    expect(await response.json<RegisterDeviceResponse>()).toEqual({ deviceId: device.deviceId, oneTimePreKeyCount: 0 });
    expect(await activeDeviceIds(newer.token, user.user.id)).toEqual([device.deviceId]);
  });

  it('refresh with other identity keys is forbidden', async () => {
    const { user, device } = await registerUserWithDevice();
    const other = await makeDeviceKeys();

    const response = await callApi('/devices', {
      method: 'POST',
      token: user.token,
      body: { deviceId: device.deviceId, identity: other.identity, signedPreKey: other.signedPreKey },
    });

    expect(response.status).toBe(403);
    expect((await response.json<ErrorBody>()).error.code).toBe('forbidden');
  });

  it("refresh of another user's device is not found", async () => {
    const { device } = await registerUserWithDevice();
    const mallory = await registerUser();

    const response = await callApi('/devices', {
      method: 'POST',
      token: mallory.token,
      body: { deviceId: device.deviceId, identity: device.identity, signedPreKey: device.signedPreKey },
    });

    expect(response.status).toBe(404);
  });
});

describe('device cap', () => {
  it('DEVICES_PER_USER_MAX active devices fit', async () => {
    const user = await registerUser();
    const tokens = [user.token, ...(await extraSessions(user.user.id, DEVICES_PER_USER_MAX - 1))];

    for (const token of tokens) await registerDevice({ token, user: user.user });

    expect(await activeDeviceIds(user.token, user.user.id)).toHaveLength(DEVICES_PER_USER_MAX);
  });

  it('one active device past the cap is rejected', async () => {
    const user = await registerUser();
    const tokens = [user.token, ...(await extraSessions(user.user.id, DEVICES_PER_USER_MAX))];
    for (const token of tokens.slice(0, DEVICES_PER_USER_MAX)) await registerDevice({ token, user: user.user });
    const keys = await makeDeviceKeys();

    const response = await callApi('/devices', {
      method: 'POST',
      token: tokens[DEVICES_PER_USER_MAX],
      body: { identity: keys.identity, signedPreKey: keys.signedPreKey },
    });
    const body = await response.json<ErrorBody>();

    expect(response.status).toBe(409);
    expect(body.error.code).toBe('too_many_devices');
    expect(body.error.limit).toBe(DEVICES_PER_USER_MAX);
    expect(body.error.value).toBe(DEVICES_PER_USER_MAX);
  });

  it('signed-out devices make room', async () => {
    const user = await registerUser();
    const tokens = await extraSessions(user.user.id, DEVICES_PER_USER_MAX + 1);
    for (const token of tokens.slice(0, DEVICES_PER_USER_MAX)) await registerDevice({ token, user: user.user });
    await callApi('/sessions/current', { method: 'DELETE', token: tokens[0] });

    const newest = await registerDevice({ token: tokens[DEVICES_PER_USER_MAX]!, user: user.user });

    const active = await activeDeviceIds(user.token, user.user.id);
    expect(active).toHaveLength(DEVICES_PER_USER_MAX);
    expect(active).toContain(newest.deviceId);
  });
});
