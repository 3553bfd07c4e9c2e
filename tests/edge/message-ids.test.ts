// The sender's object calls the recipient's object before it writes its own
// row, so a lost commit on the sender's side can leave the message with the
// recipient only. Message ids derive from (sender, cid), so the client's
// resend with the same cid stores the same message on the sender's side and
// the recipient keeps its one copy.

import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { directConversationId, type ChatMessage } from '../../protocol/frames';
import { messageIdFor } from '../../edge/objects/message-ids';
import { userObject } from '../../edge/objects/user-object';
import { contentTo, registerUserWithDevice } from './fixtures/devices';
import { syncAll } from './fixtures/relations';
import { newCid, openSocket } from './fixtures/sockets';

describe('message ids', () => {
  it('derive from sender and cid', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const { socket: aliceSocket } = await openSocket(alice.token);
    const cid = newCid();

    aliceSocket.send({ type: 'send', cid, to: bob.user.id, content: await contentTo(aliceDevice, bob.user.id) });
    const ack = await aliceSocket.nextFrameOf('ack');

    expect(ack.messageId).toBe(await messageIdFor(alice.user.id, cid));
    expect(await messageIdFor(alice.user.id, cid)).toHaveLength(22);
    expect(await messageIdFor(bob.user.id, cid)).not.toBe(ack.messageId);
  });

  it('R1 resend after lost sender commit', async () => {
    const { user: alice, device: aliceDevice } = await registerUserWithDevice();
    const { user: bob } = await registerUserWithDevice();
    const cid = newCid();
    const content = await contentTo(aliceDevice, bob.user.id, 'recipient only');
    // The state a crash of Alice's object leaves after Bob's commit and before its own.
    const delivered: ChatMessage = {
      id: await messageIdFor(alice.user.id, cid),
      conversationId: directConversationId(alice.user.id, bob.user.id),
      from: alice.user.id,
      to: bob.user.id,
      cid,
      content,
      ts: Date.now() - 1_000,
    };
    await userObject(env, bob.user.id).deliverMany([delivered]);
    const { socket: aliceSocket } = await openSocket(alice.token);
    const { socket: bobSocket } = await openSocket(bob.token);

    aliceSocket.send({ type: 'send', cid, to: bob.user.id, content });
    const ack = await aliceSocket.nextFrameOf('ack');
    const bobEvents = await syncAll(bobSocket);
    const aliceEvents = await syncAll(aliceSocket);

    expect(ack.messageId).toBe(delivered.id);
    expect(bobEvents.filter((event) => event.kind === 'message').map((event) => event.kind === 'message' && event.message.id)).toEqual([delivered.id]);
    expect(aliceEvents.filter((event) => event.kind === 'message').map((event) => event.kind === 'message' && event.message.id)).toEqual([delivered.id]);
    expect(bobSocket.pendingFrames()).toEqual([]);
  });
});
