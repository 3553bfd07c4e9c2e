import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ONE_TIME_PREKEYS_LOW_THRESHOLD, ONE_TIME_PREKEYS_UPLOAD_MAX } from '../../protocol/limits';
import { DEVICES_CHANGED_RETRIES_MAX } from '../../web/app/net/inbox-sync';
import { listOutbox } from '../../web/app/store/outbox';
import { signedInDevice } from './e2e-harness';
import { BOB, until } from './helpers';
import { connectCaughtUp, createHarness, queueToBob, type Harness } from './socket-harness';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});

afterEach(() => {
  vi.useRealTimers();
});


function sentDevices(harness: Harness, index: number): string[] {
  const frame = harness.socket().framesOfType('send')[index];
  if (frame?.content.type !== 'e2e') throw new Error(`send frame ${index} is not encrypted`);
  return frame.content.envelope.recipients.map((entry) => entry.device);
}

function bobDeviceIds(harness: Harness): string[] {
  return harness.keys.devices.filter((device) => device.userId === BOB && device.active).map((device) => device.deviceId);
}

describe('encrypted sending', () => {
  test('devices_changed resends with same cid', async () => {
    const harness = await createHarness();
    await queueToBob(harness.db, harness.userId, 'cid-devices1');
    await connectCaughtUp(harness);
    await harness.sentCount('send', 1);
    await signedInDevice(BOB, harness.keys);

    harness.socket().serverSends({
      type: 'error',
      code: 'devices_changed',
      message: 'devices changed',
      cid: 'cid-devices1',
      devices: [{ userId: BOB, deviceIds: bobDeviceIds(harness) }],
    });
    await harness.sentCount('send', 2);

    const sends = harness.socket().framesOfType('send');
    expect(sends.map((frame) => frame.cid)).toEqual(['cid-devices1', 'cid-devices1']);
    expect(sentDevices(harness, 0)).toHaveLength(1);
    expect(sentDevices(harness, 1).sort()).toEqual(bobDeviceIds(harness).sort());
    harness.client.stop();
  });

  test('devices_changed past the retry bound fails', async () => {
    const harness = await createHarness();
    await queueToBob(harness.db, harness.userId, 'cid-devices2');
    await connectCaughtUp(harness);

    for (let attempt = 1; attempt <= DEVICES_CHANGED_RETRIES_MAX + 1; attempt++) {
      await harness.sentCount('send', attempt);
      harness.socket().serverSends({
        type: 'error',
        code: 'devices_changed',
        message: 'devices changed',
        cid: 'cid-devices2',
        devices: [{ userId: BOB, deviceIds: bobDeviceIds(harness) }],
      });
    }
    await until('message failed', async () => (await harness.db.get('messages', 'cid-devices2'))?.status === 'failed');

    expect((await harness.db.get('messages', 'cid-devices2'))?.failure).toEqual({ code: 'devices_changed' });
    expect(harness.socket().framesOfType('send')).toHaveLength(DEVICES_CHANGED_RETRIES_MAX + 1);
    expect(await listOutbox(harness.db)).toEqual([]);
    harness.client.stop();
  });

  test('prekeys.low uploads a batch', async () => {
    const harness = await createHarness();
    await connectCaughtUp(harness);
    const own = harness.keys.devices.find((device) => device.userId === harness.userId)!;
    own.oneTimePreKeys.splice(0, ONE_TIME_PREKEYS_UPLOAD_MAX - ONE_TIME_PREKEYS_LOW_THRESHOLD + 1);

    harness.socket().serverSends({ type: 'prekeys.low', remaining: own.oneTimePreKeys.length });

    await until('keys uploaded', () => own.oneTimePreKeys.length >= ONE_TIME_PREKEYS_UPLOAD_MAX);
    expect(own.oneTimePreKeys).toHaveLength(ONE_TIME_PREKEYS_LOW_THRESHOLD - 1 + ONE_TIME_PREKEYS_UPLOAD_MAX);
    harness.client.stop();
  });

  test('device_not_registered registers again', async () => {
    const harness = await createHarness();
    await queueToBob(harness.db, harness.userId, 'cid-register');
    await connectCaughtUp(harness);
    await harness.sentCount('send', 1);

    harness.socket().serverSends({ type: 'error', code: 'device_not_registered', message: 'no device', cid: 'cid-register' });
    await until('socket dropped', () => harness.client.state === 'offline');
    await vi.advanceTimersByTimeAsync(60_000);
    await until('second socket opened', () => harness.sockets.length === 2);

    expect(harness.sockets[0]?.closedWith?.reason).toBe('device not registered');
    expect((await harness.db.get('messages', 'cid-register'))?.status).toBe('pending');
    harness.client.stop();
  });
});
