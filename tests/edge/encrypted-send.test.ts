import { describe, expect, it } from 'vitest';
import { CIPHERTEXT_MAX_BYTES, base64UrlLength, type Envelope } from '../../protocol/envelope';
import { ENVELOPE_MAX_BYTES, FRAME_MAX_BYTES, countUtf8Bytes } from '../../protocol/limits';
import { PHONE_USER_AGENT, callApi, registerUser, signIn } from './fixtures/accounts';
import { encryptedContent, markerOf, registerDevice, registerUserWithDevice } from './fixtures/devices';
import { newCid, openSocket, type TestSocket } from './fixtures/sockets';

/** Builds an envelope of exactly `bytes` bytes as JSON, with two entries of padded ciphertext. */
function envelopeOfBytes(senderDevice: string, bytes: number): Envelope {
  const entry = (device: string, ciphertext: string) => ({
    device,
    type: 'message' as const,
    header: 'A'.repeat(base64UrlLength(40)),
    ciphertext,
  });
  const shell = (first: string, second: string): Envelope => ({
    v: 1,
    senderDevice,
    recipients: [entry('device-one', first), entry('device-two', second)],
  });

  const fill = bytes - countUtf8Bytes(JSON.stringify(shell('', '')));
  const half = Math.floor(fill / 2);
  expect(half).toBeLessThanOrEqual(base64UrlLength(CIPHERTEXT_MAX_BYTES));
  return shell('A'.repeat(half), 'A'.repeat(fill - half));
}

/** Proves nothing reached the socket's inbox: a sync from 0 comes back empty. */
async function expectEmptyInbox(socket: TestSocket): Promise<void> {
  socket.send({ type: 'sync', after: 0 });
  const page = await socket.nextFrameOf('sync.page');
  expect(page.events).toEqual([]);
}

describe('encrypted send', () => {
  it('exact device set is acked and delivered', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const { socket: bobSocket } = await openSocket(bob.token);
    const content = encryptedContent(aliceDevice.deviceId, [bobDevice.deviceId], 'hello bob');

    aliceSocket.send({ type: 'send', cid: newCid(), to: bob.user.id, content });
    const ack = await aliceSocket.nextFrameOf('ack');
    const pushed = await bobSocket.nextFrameOf('event');

    expect(ack.seq).toBe(1);
    expect(pushed.event.kind).toBe('message');
    if (pushed.event.kind !== 'message') return;
    expect(pushed.event.message.content).toEqual(content);
    expect(markerOf(pushed.event.message.content)).toBe('hello bob');
  });

  it('plain text is rejected', async () => {
    const { user: alice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const cid = newCid();

    socket.send({ type: 'send', cid, to: bob.user.id, content: { type: 'text', text: 'in the clear' } });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('encryption_required');
    expect(error.cid).toBe(cid);
    await expectEmptyInbox(socket);
  });

  it('envelope at ENVELOPE_MAX_BYTES passes the size check', async () => {
    const { user: alice, device } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const envelope = envelopeOfBytes(device.deviceId, ENVELOPE_MAX_BYTES);
    const frame = { type: 'send', cid: newCid(), to: bob.user.id, content: { type: 'e2e', envelope } } as const;

    expect(countUtf8Bytes(JSON.stringify(envelope))).toBe(ENVELOPE_MAX_BYTES);
    expect(countUtf8Bytes(JSON.stringify(frame))).toBeLessThanOrEqual(FRAME_MAX_BYTES);
    socket.send(frame);
    const error = await socket.nextFrameOf('error');

    // The made-up device ids fail the next check, which runs only after the size check passed.
    expect(error.code).toBe('devices_changed');
  });

  it('envelope one byte past the limit is rejected', async () => {
    const { user: alice, device } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const envelope = envelopeOfBytes(device.deviceId, ENVELOPE_MAX_BYTES + 1);

    socket.send({ type: 'send', cid: newCid(), to: bob.user.id, content: { type: 'e2e', envelope } });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('envelope_too_large');
    expect(error.limit).toBe(ENVELOPE_MAX_BYTES);
    expect(error.value).toBe(ENVELOPE_MAX_BYTES + 1);
    await expectEmptyInbox(socket);
  });

  it('malformed envelope names the field', async () => {
    const { user: alice, device } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const content = encryptedContent(device.deviceId, ['device-one']);
    if (content.type !== 'e2e') throw new Error('expected e2e content');
    const broken = { ...content, envelope: { ...content.envelope, recipients: [{ ...content.envelope.recipients[0], header: 'short' }] } };

    socket.sendRaw(JSON.stringify({ type: 'send', cid: newCid(), to: alice.user.id, content: broken }));
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('content.envelope.recipients.0.header');
  });

  it('session without a device is rejected', async () => {
    const alice = await registerUser();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);

    socket.send({ type: 'send', cid: newCid(), to: bob.user.id, content: encryptedContent('nobody', [bobDevice.deviceId]) });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('device_not_registered');
  });

  it("another device's sender id is rejected", async () => {
    const { user: alice } = await registerUserWithDevice();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);

    socket.send({ type: 'send', cid: newCid(), to: bob.user.id, content: encryptedContent(bobDevice.deviceId, []) });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('envelope.senderDevice');
  });

  it('note to self from the only device', async () => {
    const { user: alice, device } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);

    socket.send({ type: 'send', cid: newCid(), to: alice.user.id, content: encryptedContent(device.deviceId, []) });

    expect((await socket.nextFrameOf('ack')).seq).toBe(1);
  });

  it('recipient without devices gets the message', async () => {
    const { user: alice, device } = await registerUserWithDevice();
    const bob = await registerUser();
    const { socket } = await openSocket(alice.token);

    socket.send({ type: 'send', cid: newCid(), to: bob.user.id, content: encryptedContent(device.deviceId, []) });

    expect((await socket.nextFrameOf('ack')).seq).toBe(1);
  });
});

describe('devices_changed', () => {
  it('missing recipient device lists both users', async () => {
    const { user: alice, device: aliceDesktop } = await registerUserWithDevice();
    const alicePhone = await registerDevice(await signIn(alice.username, { userAgent: PHONE_USER_AGENT }));
    const { user: bob, device: bobDesktop } = await registerUserWithDevice();
    const bobPhone = await registerDevice(await signIn(bob.username, { userAgent: PHONE_USER_AGENT }));
    const { socket } = await openSocket(alice.token);
    const cid = newCid();

    socket.send({
      type: 'send',
      cid,
      to: bob.user.id,
      content: encryptedContent(aliceDesktop.deviceId, [bobDesktop.deviceId, alicePhone.deviceId]),
    });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('devices_changed');
    expect(error.cid).toBe(cid);
    expect(error.devices).toEqual([
      { userId: bob.user.id, deviceIds: [bobDesktop.deviceId, bobPhone.deviceId] },
      { userId: alice.user.id, deviceIds: [aliceDesktop.deviceId, alicePhone.deviceId] },
    ]);
    await expectEmptyInbox(socket);
  });

  it("missing own other device is rejected", async () => {
    const { user: alice, device: aliceDesktop } = await registerUserWithDevice();
    await registerDevice(await signIn(alice.username, { userAgent: PHONE_USER_AGENT }));
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);

    socket.send({ type: 'send', cid: newCid(), to: bob.user.id, content: encryptedContent(aliceDesktop.deviceId, [bobDevice.deviceId]) });

    expect((await socket.nextFrameOf('error')).code).toBe('devices_changed');
  });

  it('signed-out recipient device is rejected', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDesktop } = await registerUserWithDevice();
    const bobPhone = await registerDevice(await signIn(bob.username, { userAgent: PHONE_USER_AGENT }));
    await callApi('/sessions/current', { method: 'DELETE', token: bob.token });
    const { socket } = await openSocket(alice.token);

    socket.send({
      type: 'send',
      cid: newCid(),
      to: bob.user.id,
      content: encryptedContent(aliceDevice.deviceId, [bobDesktop.deviceId, bobPhone.deviceId]),
    });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('devices_changed');
    expect(error.devices?.[0]).toEqual({ userId: bob.user.id, deviceIds: [bobPhone.deviceId] });
  });

  it('device listed twice is rejected', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);

    socket.send({
      type: 'send',
      cid: newCid(),
      to: bob.user.id,
      content: encryptedContent(aliceDevice.deviceId, [bobDevice.deviceId, bobDevice.deviceId]),
    });

    expect((await socket.nextFrameOf('error')).code).toBe('devices_changed');
  });

  it('R1 retry with the same cid is acked', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const { socket: bobSocket } = await openSocket(bob.token);
    const cid = newCid();

    socket.send({ type: 'send', cid, to: bob.user.id, content: encryptedContent(aliceDevice.deviceId, []) });
    const error = await socket.nextFrameOf('error');
    socket.send({ type: 'send', cid, to: bob.user.id, content: encryptedContent(aliceDevice.deviceId, error.devices![0]!.deviceIds) });
    const ack = await socket.nextFrameOf('ack');
    const pushed = await bobSocket.nextFrameOf('event');

    expect(error.devices![0]!.deviceIds).toEqual([bobDevice.deviceId]);
    expect(ack.cid).toBe(cid);
    expect(pushed.event.seq).toBe(1);
  });

  it('R1 resend after a device change repeats the ack', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const frame = {
      type: 'send',
      cid: newCid(),
      to: bob.user.id,
      content: encryptedContent(aliceDevice.deviceId, [bobDevice.deviceId]),
    } as const;
    socket.send(frame);
    const first = await socket.nextFrameOf('ack');
    await registerDevice(await signIn(bob.username, { userAgent: PHONE_USER_AGENT }));

    socket.send(frame);

    expect(await socket.nextFrameOf('ack')).toEqual(first);
  });
});
