import { describe, expect, it } from 'vitest';
import { directConversationId } from '../../protocol/frames';
import { PHONE_USER_AGENT, signIn } from './fixtures/accounts';
import { encryptedContent, registerDevice, registerUserWithDevice } from './fixtures/devices';
import { newCid, openSocket } from './fixtures/sockets';

describe('send', () => {
  it('acks sender and pushes to recipient', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const { socket: bobSocket } = await openSocket(bob.token);
    const cid = newCid();
    const content = encryptedContent(aliceDevice.deviceId, [bobDevice.deviceId], '你好, Bob');

    aliceSocket.send({ type: 'send', cid, to: bob.user.id, content });
    const ack = await aliceSocket.nextFrameOf('ack');
    const pushed = await bobSocket.nextFrameOf('event');

    const conversationId = directConversationId(alice.user.id, bob.user.id);
    expect(ack.cid).toBe(cid);
    expect(ack.conversationId).toBe(conversationId);
    expect(ack.seq).toBe(1);
    expect(pushed.event.kind).toBe('message');
    if (pushed.event.kind !== 'message') return;
    expect(pushed.event.seq).toBe(1);
    expect(pushed.event.message).toEqual({
      id: ack.messageId,
      conversationId,
      from: alice.user.id,
      to: bob.user.id,
      cid,
      content,
      ts: ack.ts,
    });
  });

  it('pushes to sender other devices', async () => {
    const { user: alice, device: aliceDesktop } = await registerUserWithDevice();
    const alicePhone = await signIn(alice.username, { userAgent: PHONE_USER_AGENT });
    const alicePhoneDevice = await registerDevice(alicePhone);
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket: desktop } = await openSocket(alice.token);
    const { socket: phone } = await openSocket(alicePhone.token);
    const content = encryptedContent(aliceDesktop.deviceId, [bobDevice.deviceId, alicePhoneDevice.deviceId], 'hi');

    desktop.send({ type: 'send', cid: newCid(), to: bob.user.id, content });
    const ack = await desktop.nextFrameOf('ack');
    const mirrored = await phone.nextFrameOf('event');

    expect(mirrored.event.seq).toBe(ack.seq);
    expect(mirrored.event.kind).toBe('message');
    if (mirrored.event.kind === 'message') expect(mirrored.event.message.id).toBe(ack.messageId);
  });

  it('R1 resend with same cid', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const cid = newCid();
    const content = encryptedContent(aliceDevice.deviceId, [bobDevice.deviceId], 'once');
    const frame = { type: 'send', cid, to: bob.user.id, content } as const;

    socket.send(frame);
    const first = await socket.nextFrameOf('ack');
    socket.send(frame);
    const second = await socket.nextFrameOf('ack');

    expect(second).toEqual(first);
    const { socket: bobSocket, welcome } = await openSocket(bob.token);
    expect(welcome.headSeq).toBe(1);
    bobSocket.send({ type: 'sync', after: 0 });
    const page = await bobSocket.nextFrameOf('sync.page');
    expect(page.events).toHaveLength(1);
  });

  it('note to self is stored once', async () => {
    const { user: alice, device: aliceDesktop } = await registerUserWithDevice();
    const alicePhone = await signIn(alice.username, { userAgent: PHONE_USER_AGENT });
    const alicePhoneDevice = await registerDevice(alicePhone);
    const { socket: desktop } = await openSocket(alice.token);
    const { socket: phone } = await openSocket(alicePhone.token);
    const content = encryptedContent(aliceDesktop.deviceId, [alicePhoneDevice.deviceId], 'buy milk');

    desktop.send({ type: 'send', cid: newCid(), to: alice.user.id, content });
    const ack = await desktop.nextFrameOf('ack');
    const mirrored = await phone.nextFrameOf('event');
    desktop.send({ type: 'sync', after: 0 });
    const page = await desktop.nextFrameOf('sync.page');

    expect(ack.conversationId).toBe(directConversationId(alice.user.id, alice.user.id));
    expect(mirrored.event.seq).toBe(ack.seq);
    expect(page.events).toHaveLength(1);
    expect(page.headSeq).toBe(ack.seq);
  });

  it('unknown recipient gets an error', async () => {
    const { user: alice, device } = await registerUserWithDevice();
    const { socket } = await openSocket(alice.token);
    const cid = newCid();

    socket.send({ type: 'send', cid, to: 'no-such-user-id', content: encryptedContent(device.deviceId, []) });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('recipient_not_found');
    expect(error.cid).toBe(cid);
  });
});
