import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { directConversationId, type ChatMessage } from '../../protocol/frames';
import { InboxStore } from '../../edge/objects/inbox-store';
import { userObject } from '../../edge/objects/user-object';
import { registerUser } from './fixtures/accounts';
import { encryptedContent, registerUserWithDevice } from './fixtures/devices';
import { newCid, openSocket } from './fixtures/sockets';

function encryptedMessage(from: string, to: string, content: ChatMessage['content']): ChatMessage {
  return {
    id: crypto.randomUUID(),
    conversationId: directConversationId(from, to),
    from,
    to,
    cid: newCid(),
    content,
    ts: Date.now(),
  };
}

describe('delivery retry', () => {
  it('R1 deliver twice stores once', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    const { socket: bobSocket } = await openSocket(bob.token);
    const message = encryptedMessage(alice.user.id, bob.user.id, encryptedContent('alice-device', [], 'twice'));

    await userObject(env, bob.user.id).deliver(message);
    await userObject(env, bob.user.id).deliver(message);

    // The sync.page reply comes after any pushed events, so a second push would show up first.
    bobSocket.send({ type: 'sync', after: 0 });
    const pushed = await bobSocket.nextFrameOf('event');
    const page = await bobSocket.nextFrameOf('sync.page');
    expect(pushed.event.seq).toBe(1);
    expect(page.events).toEqual([pushed.event]);
  });

  it('R1 resend completes a failed delivery', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob, device: bobDevice } = await registerUserWithDevice();
    const content = encryptedContent(aliceDevice.deviceId, [bobDevice.deviceId], 'stored, not delivered');
    const message = encryptedMessage(alice.user.id, bob.user.id, content);
    // The state a failed deliver() leaves: the row is in the sender's inbox only.
    const storedSeq = await runInDurableObject(userObject(env, alice.user.id), (_instance, state) => {
      return new InboxStore(state.storage.sql).appendMessage(message, message.ts).seq;
    });
    const { socket: aliceSocket } = await openSocket(alice.token);
    const { socket: bobSocket } = await openSocket(bob.token);

    const resend = { type: 'send', cid: message.cid, to: bob.user.id, content: message.content } as const;
    aliceSocket.send(resend);
    const ack = await aliceSocket.nextFrameOf('ack');
    aliceSocket.send(resend);
    const secondAck = await aliceSocket.nextFrameOf('ack');

    expect(ack).toEqual({
      type: 'ack',
      cid: message.cid,
      messageId: message.id,
      conversationId: message.conversationId,
      seq: storedSeq,
      ts: message.ts,
    });
    expect(secondAck).toEqual(ack);
    bobSocket.send({ type: 'sync', after: 0 });
    const pushed = await bobSocket.nextFrameOf('event');
    const page = await bobSocket.nextFrameOf('sync.page');
    expect(pushed.event.kind).toBe('message');
    if (pushed.event.kind === 'message') expect(pushed.event.message).toEqual(message);
    expect(page.events).toEqual([pushed.event]);
  });
});
