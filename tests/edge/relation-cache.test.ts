// The sender's object caches the relation decision and both users' devices
// after the first send. These tests change a relation, a setting or a device
// after a first send and check that the next send sees the change.

import { describe, expect, it } from 'vitest';
import { callApi, PHONE_USER_AGENT, signIn } from './fixtures/accounts';
import { contentTo, encryptedContent, registerDevice, registerUserWithDevice, type TestDevice } from './fixtures/devices';
import { block, follow, setPrivacy, syncAll, type Actor } from './fixtures/relations';
import { newCid, openSocket, type TestSocket } from './fixtures/sockets';

interface Party extends Actor {
  username: string;
  device: TestDevice;
}

async function party(): Promise<Party> {
  const { user, device } = await registerUserWithDevice();
  return { token: user.token, user: user.user, username: user.username, device };
}

/** Sends one message addressed to the devices listed now and returns the reply frame. */
async function sendOne(socket: TestSocket, sender: Party, recipient: Party) {
  const cid = newCid();
  socket.send({ type: 'send', cid, to: recipient.user.id, content: await contentTo(sender.device, recipient.user.id) });
  return { cid, reply: await socket.nextFrame() };
}

async function deliveredCount(recipient: Party): Promise<number> {
  const { socket } = await openSocket(recipient.token);
  return (await syncAll(socket)).filter((event) => event.kind === 'message').length;
}

describe('cached relations', () => {
  it('block after a send rejects', async () => {
    const sender = await party();
    const recipient = await party();
    const { socket } = await openSocket(sender.token);
    expect((await sendOne(socket, sender, recipient)).reply.type).toBe('ack');

    await block(recipient, sender.user.id);
    const { cid, reply } = await sendOne(socket, sender, recipient);

    expect(reply).toMatchObject({ type: 'error', code: 'not_allowed', cid });
  });

  it('own block after a send rejects', async () => {
    const sender = await party();
    const recipient = await party();
    const { socket } = await openSocket(sender.token);
    expect((await sendOne(socket, sender, recipient)).reply.type).toBe('ack');

    await block(sender, recipient.user.id);
    const { reply } = await sendOne(socket, sender, recipient);

    expect(reply).toMatchObject({ type: 'error', code: 'not_allowed' });
  });

  it('unblock after a rejection delivers', async () => {
    const sender = await party();
    const recipient = await party();
    await block(recipient, sender.user.id);
    const { socket } = await openSocket(sender.token);
    expect((await sendOne(socket, sender, recipient)).reply).toMatchObject({ type: 'error', code: 'not_allowed' });

    const unblock = await callApi(`/blocks/${sender.user.id}`, { method: 'DELETE', token: recipient.token });
    expect(unblock.status).toBe(204);
    const { reply } = await sendOne(socket, sender, recipient);

    expect(reply.type).toBe('ack');
    expect(await deliveredCount(recipient)).toBe(1);
  });

  it('privacy change after a send rejects', async () => {
    const sender = await party();
    const recipient = await party();
    const { socket } = await openSocket(sender.token);
    expect((await sendOne(socket, sender, recipient)).reply.type).toBe('ack');

    await setPrivacy(recipient, 'friends');
    const { reply } = await sendOne(socket, sender, recipient);

    expect(reply).toMatchObject({ type: 'error', code: 'not_allowed' });
  });

  it('unfollow under following privacy rejects', async () => {
    const sender = await party();
    const recipient = await party();
    await setPrivacy(recipient, 'following');
    await follow(recipient, sender.user.id);
    const { socket } = await openSocket(sender.token);
    expect((await sendOne(socket, sender, recipient)).reply.type).toBe('ack');

    const unfollow = await callApi(`/following/${sender.user.id}`, { method: 'DELETE', token: recipient.token });
    expect(unfollow.status).toBe(204);
    const { reply } = await sendOne(socket, sender, recipient);

    expect(reply).toMatchObject({ type: 'error', code: 'not_allowed' });
  });

  it('mute after a send stops delivery', async () => {
    const sender = await party();
    const recipient = await party();
    const { socket } = await openSocket(sender.token);
    expect((await sendOne(socket, sender, recipient)).reply.type).toBe('ack');

    const mute = await callApi(`/me/muted-users/${sender.user.id}`, { method: 'PUT', token: recipient.token });
    expect(mute.status).toBe(204);
    const { reply } = await sendOne(socket, sender, recipient);

    expect(reply.type).toBe('ack');
    expect(await deliveredCount(recipient)).toBe(1);
  });

  it('new recipient device must be addressed', async () => {
    const sender = await party();
    const recipient = await party();
    const { socket } = await openSocket(sender.token);
    expect((await sendOne(socket, sender, recipient)).reply.type).toBe('ack');

    const phone = await registerDevice(await signIn(recipient.username, { userAgent: PHONE_USER_AGENT }));
    socket.send({
      type: 'send',
      cid: newCid(),
      to: recipient.user.id,
      content: encryptedContent(sender.device.deviceId, [recipient.device.deviceId]),
    });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('devices_changed');
    expect(error.devices?.[0]).toEqual({ userId: recipient.user.id, deviceIds: [recipient.device.deviceId, phone.deviceId] });
  });

  it('signed-out recipient device must be dropped', async () => {
    const sender = await party();
    const recipient = await party();
    const phone = await registerDevice(await signIn(recipient.username, { userAgent: PHONE_USER_AGENT }));
    const { socket } = await openSocket(sender.token);
    expect((await sendOne(socket, sender, recipient)).reply.type).toBe('ack');

    const signOut = await callApi('/sessions/current', { method: 'DELETE', token: phone.token });
    expect(signOut.status).toBe(204);
    const { reply } = await sendOne(socket, sender, recipient);

    expect(reply.type).toBe('ack');
  });
});
