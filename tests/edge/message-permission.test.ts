// Who may message, follow and friend-request whom: every privacy setting of
// the recipient, crossed with the tie between the two users and a block in
// either direction, through the real send path and routes.

import { describe, expect, it } from 'vitest';
import { MESSAGE_PRIVACY_VALUES, type MessagePrivacy } from '../../protocol/relations';
import { callApi } from './fixtures/accounts';
import { contentTo, registerUserWithDevice, type TestDevice } from './fixtures/devices';
import { befriend, block, errorCodeOf, follow, sendFriendRequest, setPrivacy, syncAll, type Actor } from './fixtures/relations';
import { newCid, openSocket } from './fixtures/sockets';

type Tie = 'none' | 'recipient follows sender' | 'friends';
type Block = 'no block' | 'recipient blocked sender' | 'sender blocked recipient';

const TIES: Tie[] = ['none', 'recipient follows sender', 'friends'];
const BLOCKS: Block[] = ['no block', 'recipient blocked sender', 'sender blocked recipient'];

/** Whether each privacy level lets a message through for each tie, with no block; the levels nest. */
const MESSAGE_ALLOWED: Record<MessagePrivacy, Record<Tie, boolean>> = {
  everyone: { none: true, 'recipient follows sender': true, friends: true },
  following: { none: false, 'recipient follows sender': true, friends: true },
  friends: { none: false, 'recipient follows sender': false, friends: true },
};

interface Party extends Actor {
  device: TestDevice;
}

async function party(): Promise<Party> {
  const { user, device } = await registerUserWithDevice();
  return { token: user.token, user: user.user, device };
}

async function arrange(privacy: MessagePrivacy, tie: Tie, blockCase: Block) {
  const sender = await party();
  const recipient = await party();
  await setPrivacy(recipient, privacy);
  if (tie === 'recipient follows sender') await follow(recipient, sender.user.id);
  if (tie === 'friends') await befriend(sender, recipient);
  if (blockCase === 'recipient blocked sender') await block(recipient, sender.user.id);
  if (blockCase === 'sender blocked recipient') await block(sender, recipient.user.id);
  return { sender, recipient };
}

const cases = MESSAGE_PRIVACY_VALUES.flatMap((privacy) =>
  TIES.flatMap((tie) => BLOCKS.map((blockCase) => ({ privacy, tie, blockCase }))),
);

describe('permission matrix', () => {
  it.each(cases)('$privacy privacy, $tie, $blockCase', async ({ privacy, tie, blockCase }) => {
    const { sender, recipient } = await arrange(privacy, tie, blockCase);
    const blocked = blockCase !== 'no block';
    const messageAllowed = !blocked && MESSAGE_ALLOWED[privacy][tie];

    const { socket } = await openSocket(sender.token);
    const cid = newCid();
    socket.send({ type: 'send', cid, to: recipient.user.id, content: await contentTo(sender.device, recipient.user.id) });
    const reply = await socket.nextFrame();

    if (messageAllowed) {
      expect(reply.type).toBe('ack');
    } else {
      expect(reply).toMatchObject({ type: 'error', code: 'not_allowed', cid });
    }

    const { socket: recipientSocket } = await openSocket(recipient.token);
    const delivered = (await syncAll(recipientSocket)).filter((event) => event.kind === 'message');
    expect(delivered).toHaveLength(messageAllowed ? 1 : 0);

    const followResponse = await callApi(`/following/${recipient.user.id}`, { method: 'PUT', token: sender.token });
    expect(followResponse.status).toBe(blocked ? 403 : 204);
    if (blocked) expect(await errorCodeOf(followResponse)).toBe('not_allowed');

    const request = await sendFriendRequest(sender, recipient.user.id, 'hi');
    let expectedRequestStatus = 201;
    if (tie === 'friends') expectedRequestStatus = 200;
    if (blocked) expectedRequestStatus = 403;
    expect(request.status).toBe(expectedRequestStatus);
    if (blocked) expect(await errorCodeOf(request)).toBe('not_allowed');
  });
});

describe('rejection wording', () => {
  it('block and privacy reject alike', async () => {
    const blockedCase = await arrange('everyone', 'none', 'recipient blocked sender');
    const privacyCase = await arrange('friends', 'none', 'no block');

    const replies = [];
    for (const { sender, recipient } of [blockedCase, privacyCase]) {
      const { socket } = await openSocket(sender.token);
      socket.send({ type: 'send', cid: newCid(), to: recipient.user.id, content: await contentTo(sender.device, recipient.user.id) });
      const reply = await socket.nextFrameOf('error');
      replies.push({ code: reply.code, message: reply.message });
    }

    expect(replies[0]).toEqual(replies[1]);
  });

  it('note to self ignores privacy', async () => {
    const alone = await party();
    await setPrivacy(alone, 'friends');
    const { socket } = await openSocket(alone.token);

    socket.send({ type: 'send', cid: newCid(), to: alone.user.id, content: await contentTo(alone.device, alone.user.id) });

    expect((await socket.nextFrame()).type).toBe('ack');
  });

  it('resend after a block is rejected', async () => {
    const { sender, recipient } = await arrange('everyone', 'none', 'no block');
    const { socket } = await openSocket(sender.token);
    const cid = newCid();
    const content = await contentTo(sender.device, recipient.user.id);

    socket.send({ type: 'send', cid, to: recipient.user.id, content });
    await socket.nextFrameOf('ack');
    await block(recipient, sender.user.id);
    socket.send({ type: 'send', cid, to: recipient.user.id, content });

    expect(await socket.nextFrameOf('error')).toMatchObject({ code: 'not_allowed', cid });
  });
});
