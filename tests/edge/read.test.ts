import { describe, expect, it } from 'vitest';
import { directConversationId } from '../../protocol/frames';
import { PHONE_USER_AGENT, registerUser, signIn } from './fixtures/accounts';
import { encryptedContent, registerDevice, registerUserWithDevice } from './fixtures/devices';
import { newCid, openSocket } from './fixtures/sockets';

describe('read', () => {
  it('reaches the other device', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDesktopDevice } = await registerUserWithDevice();
    const bobPhone = await signIn(bob.username, { userAgent: PHONE_USER_AGENT });
    const bobPhoneDevice = await registerDevice(bobPhone);
    const { socket: aliceSocket } = await openSocket(alice.token);
    const { socket: bobDesktop } = await openSocket(bob.token);
    const { socket: bobPhoneSocket } = await openSocket(bobPhone.token);
    const content = encryptedContent(aliceDevice.deviceId, [bobDesktopDevice.deviceId, bobPhoneDevice.deviceId]);
    aliceSocket.send({ type: 'send', cid: newCid(), to: bob.user.id, content });
    const delivered = await bobDesktop.nextFrameOf('event');
    await bobPhoneSocket.nextFrameOf('event');
    const conversationId = directConversationId(alice.user.id, bob.user.id);

    bobDesktop.send({ type: 'read', conversationId, readSeq: delivered.event.seq });
    const read = await bobPhoneSocket.nextFrameOf('event');

    expect(read.event).toEqual({
      kind: 'read',
      seq: delivered.event.seq + 1,
      ts: read.event.ts,
      conversationId,
      readSeq: delivered.event.seq,
    });
    // The reading device gets no echo, so its next frame is the reply to the sync below.
    bobDesktop.send({ type: 'sync', after: delivered.event.seq });
    const page = await bobDesktop.nextFrameOf('sync.page');
    expect(page.events).toEqual([read.event]);
  });

  it('past the inbox head is rejected', async () => {
    const alice = await registerUser();
    const { socket } = await openSocket(alice.token);

    socket.send({ type: 'read', conversationId: directConversationId(alice.user.id, 'someone'), readSeq: 1 });
    const error = await socket.nextFrameOf('error');

    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('readSeq 1');
  });
});
