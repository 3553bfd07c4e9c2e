import { describe, expect, it } from 'vitest';
import type { PreKeyCountResponse } from '../../protocol/devices';
import type { ErrorBody } from '../../protocol/errors';
import {
  ENVELOPE_RECIPIENTS_MAX,
  ONE_TIME_PREKEYS_LOW_THRESHOLD,
  ONE_TIME_PREKEYS_PER_DEVICE_MAX,
  ONE_TIME_PREKEYS_UPLOAD_MAX,
  PREKEY_CLAIM_USERS_MAX,
} from '../../protocol/limits';
import { PHONE_USER_AGENT, callApi, registerUser, signIn } from './fixtures/accounts';
import { claim, makeOneTimePreKeys, registerDevice, registerUserWithDevice, uploadPreKeys } from './fixtures/devices';
import { openSocket } from './fixtures/sockets';

async function preKeyCount(token: string): Promise<number> {
  const response = await callApi('/devices/current/prekeys', { token });
  expect(response.status).toBe(200);
  return (await response.json<PreKeyCountResponse>()).count;
}

/** Fills a device up to ONE_TIME_PREKEYS_PER_DEVICE_MAX keys in full uploads. */
async function fillToCap(device: Parameters<typeof uploadPreKeys>[0]): Promise<void> {
  for (let stored = 0; stored < ONE_TIME_PREKEYS_PER_DEVICE_MAX; stored += ONE_TIME_PREKEYS_UPLOAD_MAX) {
    expect((await uploadPreKeys(device, ONE_TIME_PREKEYS_UPLOAD_MAX)).status).toBe(200);
  }
}

describe('one-time prekey upload', () => {
  it('upload adds to the count', async () => {
    const { device } = await registerUserWithDevice({ preKeys: 5 });

    const response = await uploadPreKeys(device, 7);

    expect(response.status).toBe(200);
    expect(await response.json<PreKeyCountResponse>()).toEqual({ count: 12 });
    expect(await preKeyCount(device.token)).toBe(12);
  });

  it('ONE_TIME_PREKEYS_UPLOAD_MAX keys in one upload fit', async () => {
    const { device } = await registerUserWithDevice();

    const response = await uploadPreKeys(device, ONE_TIME_PREKEYS_UPLOAD_MAX);

    expect(response.status).toBe(200);
  });

  it('one key past the upload maximum is rejected', async () => {
    const { device } = await registerUserWithDevice();

    const response = await uploadPreKeys(device, ONE_TIME_PREKEYS_UPLOAD_MAX + 1);
    const body = await response.json<ErrorBody>();

    expect(response.status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.limit).toBe(ONE_TIME_PREKEYS_UPLOAD_MAX);
    expect(body.error.value).toBe(ONE_TIME_PREKEYS_UPLOAD_MAX + 1);
  });

  it('device holds up to the cap', async () => {
    const { device } = await registerUserWithDevice();

    await fillToCap(device);

    expect(await preKeyCount(device.token)).toBe(ONE_TIME_PREKEYS_PER_DEVICE_MAX);
  });

  it('one key past the cap is rejected', async () => {
    const { device } = await registerUserWithDevice();
    await fillToCap(device);

    const response = await uploadPreKeys(device, 1);
    const body = await response.json<ErrorBody>();

    expect(response.status).toBe(400);
    expect(body.error.code).toBe('too_many_prekeys');
    expect(body.error.limit).toBe(ONE_TIME_PREKEYS_PER_DEVICE_MAX);
    expect(body.error.value).toBe(ONE_TIME_PREKEYS_PER_DEVICE_MAX + 1);
    expect(await preKeyCount(device.token)).toBe(ONE_TIME_PREKEYS_PER_DEVICE_MAX);
  });

  it('repeated upload stores nothing twice', async () => {
    const { device } = await registerUserWithDevice();
    const keys = await makeOneTimePreKeys(device.signing, 1, 10);
    const upload = { method: 'POST', token: device.token, body: { oneTimePreKeys: keys } };

    await callApi('/devices/current/prekeys', upload);
    const second = await callApi('/devices/current/prekeys', upload);

    expect(second.status).toBe(200);
    expect(await second.json<PreKeyCountResponse>()).toEqual({ count: 10 });
  });

  it('key id twice in one upload is rejected', async () => {
    const { device } = await registerUserWithDevice();
    const [key] = await makeOneTimePreKeys(device.signing, 1, 1);

    const response = await callApi('/devices/current/prekeys', {
      method: 'POST',
      token: device.token,
      body: { oneTimePreKeys: [key, key] },
    });

    expect(response.status).toBe(400);
    expect((await response.json<ErrorBody>()).error.message).toContain('key id 1 twice');
  });

  it('session without a device is rejected', async () => {
    const user = await registerUser();

    const response = await callApi('/devices/current/prekeys', { token: user.token });

    expect(response.status).toBe(403);
    expect((await response.json<ErrorBody>()).error.code).toBe('device_not_registered');
  });
});

describe('bundle claim', () => {
  it('returns every active device of the user', async () => {
    const { device: alice } = await registerUserWithDevice();
    const { user: bob, device: bobDesktop } = await registerUserWithDevice({ preKeys: 2 });
    const bobPhone = await registerDevice(await signIn(bob.username, { userAgent: PHONE_USER_AGENT }), { preKeys: 0 });

    const { status, body } = await claim(alice.token, { userIds: [bob.user.id] });

    expect(status).toBe(200);
    const devices = body.users[0]!.devices;
    expect(devices.map((entry) => entry.deviceId)).toEqual([bobDesktop.deviceId, bobPhone.deviceId]);
    expect(devices[0]!.bundle).toEqual({
      identity: bobDesktop.identity,
      signedPreKey: bobDesktop.signedPreKey,
      oneTimePreKey: devices[0]!.bundle.oneTimePreKey,
    });
    expect(devices[0]!.bundle.oneTimePreKey?.id).toBe(1);
    expect(devices[1]!.bundle.oneTimePreKey).toBeUndefined();
  });

  it("excludes the caller's own device", async () => {
    const { user: alice, device: desktop } = await registerUserWithDevice();
    const phone = await registerDevice(await signIn(alice.username, { userAgent: PHONE_USER_AGENT }));

    const { body } = await claim(desktop.token, { userIds: [alice.user.id] });

    expect(body.users[0]!.devices.map((entry) => entry.deviceId)).toEqual([phone.deviceId]);
  });

  it('hands each one-time prekey out once', async () => {
    const { device: alice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice({ preKeys: 3 });

    const ids = [];
    for (let i = 0; i < 4; i++) {
      const { body } = await claim(alice.token, { userIds: [bob.user.id] });
      ids.push(body.users[0]!.devices[0]!.bundle.oneTimePreKey?.id);
    }

    expect(ids).toEqual([1, 2, 3, undefined]);
  });

  it('concurrent claims never share a key', async () => {
    const claimers = await Promise.all(Array.from({ length: 6 }, () => registerUserWithDevice()));
    const { user: bob } = await registerUserWithDevice({ preKeys: 4 });

    const results = await Promise.all(claimers.map(({ device }) => claim(device.token, { userIds: [bob.user.id] })));

    const handedOut = results
      .map(({ body }) => body.users[0]!.devices[0]!.bundle.oneTimePreKey?.id)
      .filter((id) => id !== undefined);
    expect(handedOut.sort()).toEqual([1, 2, 3, 4]);
  });

  it('last key raced by two claims', async () => {
    const { device: first } = await registerUserWithDevice();
    const { device: second } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice({ preKeys: 1 });

    const [a, b] = await Promise.all([
      claim(first.token, { userIds: [bob.user.id] }),
      claim(second.token, { userIds: [bob.user.id] }),
    ]);

    const keys = [a, b].map(({ body }) => body.users[0]!.devices[0]!.bundle.oneTimePreKey?.id);
    expect(keys.filter((id) => id === 1)).toHaveLength(1);
    expect(keys.filter((id) => id === undefined)).toHaveLength(1);
  });

  it('deviceIds narrows the claim', async () => {
    const { device: alice } = await registerUserWithDevice();
    const { user: bob, device: bobDesktop } = await registerUserWithDevice({ preKeys: 2 });
    const bobPhone = await registerDevice(await signIn(bob.username, { userAgent: PHONE_USER_AGENT }), { preKeys: 2 });

    const { body } = await claim(alice.token, { userIds: [bob.user.id], deviceIds: [bobPhone.deviceId] });

    expect(body.users[0]!.devices.map((entry) => entry.deviceId)).toEqual([bobPhone.deviceId]);
    expect(await preKeyCount(bobDesktop.token)).toBe(2);
    expect(await preKeyCount(bobPhone.token)).toBe(1);
  });

  it('unknown user has no devices', async () => {
    const { device: alice } = await registerUserWithDevice();

    const { status, body } = await claim(alice.token, { userIds: ['no-such-user'] });

    expect(status).toBe(200);
    expect(body).toEqual({ users: [{ userId: 'no-such-user', devices: [] }] });
  });

  it('PREKEY_CLAIM_USERS_MAX users fit', async () => {
    const { device: alice } = await registerUserWithDevice();
    const userIds = Array.from({ length: PREKEY_CLAIM_USERS_MAX }, (_, i) => `user-${i}`);

    const { status } = await claim(alice.token, { userIds });

    expect(status).toBe(200);
  });

  it('one user past the claim maximum is rejected', async () => {
    const { device: alice } = await registerUserWithDevice();
    const userIds = Array.from({ length: PREKEY_CLAIM_USERS_MAX + 1 }, (_, i) => `user-${i}`);

    const response = await callApi('/devices/claim', { method: 'POST', token: alice.token, body: { userIds } });
    const body = await response.json<ErrorBody>();

    expect(response.status).toBe(400);
    expect(body.error.limit).toBe(PREKEY_CLAIM_USERS_MAX);
    expect(body.error.value).toBe(PREKEY_CLAIM_USERS_MAX + 1);
  });

  it('one device past the claim maximum is rejected', async () => {
    const { user: bob, device: alice } = await registerUserWithDevice();
    const deviceIds = Array.from({ length: ENVELOPE_RECIPIENTS_MAX + 1 }, (_, i) => `device-${i}`);

    const response = await callApi('/devices/claim', {
      method: 'POST',
      token: alice.token,
      body: { userIds: [bob.user.id], deviceIds },
    });

    expect(response.status).toBe(400);
    expect((await response.json<ErrorBody>()).error.limit).toBe(ENVELOPE_RECIPIENTS_MAX);
  });

  it('caller without a device is rejected', async () => {
    const caller = await registerUser();
    const { user: bob } = await registerUserWithDevice({ preKeys: 1 });

    const response = await callApi('/devices/claim', { method: 'POST', token: caller.token, body: { userIds: [bob.user.id] } });

    expect(response.status).toBe(403);
    expect((await response.json<ErrorBody>()).error.code).toBe('device_not_registered');
  });
});

describe('prekeys.low', () => {
  it('claim below the threshold notifies the device', async () => {
    const { device: alice } = await registerUserWithDevice();
    const { device: bob } = await registerUserWithDevice({ preKeys: ONE_TIME_PREKEYS_LOW_THRESHOLD });
    const { socket: bobSocket } = await openSocket(bob.token);

    await claim(alice.token, { userIds: [bob.userId] });

    expect(await bobSocket.nextFrameOf('prekeys.low')).toEqual({
      type: 'prekeys.low',
      remaining: ONE_TIME_PREKEYS_LOW_THRESHOLD - 1,
    });
  });

  it('claim at the threshold stays quiet', async () => {
    const { device: alice } = await registerUserWithDevice();
    const { device: bob } = await registerUserWithDevice({ preKeys: ONE_TIME_PREKEYS_LOW_THRESHOLD + 1 });
    const { socket: bobSocket } = await openSocket(bob.token);

    await claim(alice.token, { userIds: [bob.userId] });
    // The sync.page reply is the next frame only if no prekeys.low came first.
    bobSocket.send({ type: 'sync', after: 0 });

    expect((await bobSocket.nextFrame()).type).toBe('sync.page');
  });

  it("reaches only the claimed device's session", async () => {
    const { device: alice } = await registerUserWithDevice();
    const { user: bob, device: bobDesktop } = await registerUserWithDevice({ preKeys: 1 });
    const phoneAuth = await signIn(bob.username, { userAgent: PHONE_USER_AGENT });
    const bobPhone = await registerDevice(phoneAuth, { preKeys: ONE_TIME_PREKEYS_LOW_THRESHOLD + 1 });
    const { socket: desktopSocket } = await openSocket(bobDesktop.token);
    const { socket: phoneSocket } = await openSocket(bobPhone.token);

    await claim(alice.token, { userIds: [bob.user.id] });
    phoneSocket.send({ type: 'sync', after: 0 });

    expect(await desktopSocket.nextFrameOf('prekeys.low')).toEqual({ type: 'prekeys.low', remaining: 0 });
    expect((await phoneSocket.nextFrame()).type).toBe('sync.page');
  });
});
