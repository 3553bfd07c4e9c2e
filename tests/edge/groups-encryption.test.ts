// Group encryption at the edge: the content type a group takes at
// GROUP_E2E_MEMBERS_MAX and one past it. Also the sender-key distribution, a
// 1:1 send with a `groupId`, which co-membership lets through where the
// recipient's privacy setting rejects a chat message.

import { describe, expect, it } from 'vitest';
import { CONTROL_CID_PREFIX } from '../../protocol/frames';
import { GROUP_E2E_MEMBERS_MAX } from '../../protocol/limits';
import { contentTo, registerUserWithDevice } from './fixtures/devices';
import { addByInvite, createGroup, markerContent, sendContentToGroup } from './fixtures/groups';
import { callApi, registerUser } from './fixtures/accounts';
import { block, setPrivacy, syncAll } from './fixtures/relations';
import { newCid, openSocket, type TestSocket } from './fixtures/sockets';

/** Each test registers several accounts (PBKDF2 with 100,000 iterations each), which takes seconds on a busy machine. */
const TEST_TIMEOUT_MS = 30_000;

function controlCid(): string {
  return CONTROL_CID_PREFIX + newCid();
}

/** Returns the `ack` or `error` for `cid`, skipping the live events (group changes) the socket also gets. */
async function replyTo(socket: TestSocket, cid: string) {
  for (;;) {
    const frame = await socket.nextFrame();
    if ((frame.type === 'ack' || frame.type === 'error') && frame.cid === cid) return frame;
  }
}

async function member() {
  const { user, device } = await registerUserWithDevice();
  return { token: user.token, user: user.user, device };
}

describe('group encryption', { timeout: TEST_TIMEOUT_MS }, () => {
  it('group at limit takes only ciphertext', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner, { memberLimit: GROUP_E2E_MEMBERS_MAX });
    const { socket } = await openSocket(owner.token);

    const text = await sendContentToGroup(socket, group.id, { type: 'text', text: 'plain' });
    const sealed = await sendContentToGroup(socket, group.id, markerContent('sealed'));

    expect(group.encryption).toBe('end_to_end');
    expect(text).toMatchObject({ type: 'error', code: 'encryption_required' });
    if (text.type === 'error') expect(text.message).toContain(group.id);
    expect(sealed.type).toBe('group.ack');
  });

  it('group past limit takes only text', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner, { memberLimit: GROUP_E2E_MEMBERS_MAX + 1 });
    const { socket } = await openSocket(owner.token);

    const text = await sendContentToGroup(socket, group.id, { type: 'text', text: 'plain' });
    const sealed = await sendContentToGroup(socket, group.id, markerContent('sealed'));

    expect(group.encryption).toBe('transport');
    expect(text.type).toBe('group.ack');
    expect(sealed).toMatchObject({ type: 'error', code: 'invalid_request' });
  });

  it('co-member distribution passes friends-only privacy', async () => {
    const sender = await member();
    const recipient = await member();
    await setPrivacy(recipient, 'friends');
    const group = await createGroup(sender);
    await addByInvite(sender, group.id, recipient);
    const { socket } = await openSocket(sender.token);

    const cid = controlCid();
    socket.send({ type: 'send', cid, to: recipient.user.id, content: await contentTo(sender.device, recipient.user.id) });
    const chat = await replyTo(socket, cid);
    socket.send({ type: 'send', cid, to: recipient.user.id, content: await contentTo(sender.device, recipient.user.id), groupId: group.id });
    const distribution = await replyTo(socket, cid);

    expect(chat).toMatchObject({ type: 'error', code: 'not_allowed', cid });
    expect(distribution).toMatchObject({ type: 'ack', cid });
  });

  it('distribution reaches member who blocked and muted', async () => {
    const sender = await member();
    const recipient = await member();
    const group = await createGroup(sender);
    await addByInvite(sender, group.id, recipient);
    await block(recipient, sender.user.id);
    await callApi(`/me/muted-users/${sender.user.id}`, { method: 'PUT', token: recipient.token });
    const { socket } = await openSocket(sender.token);

    const cid = controlCid();
    socket.send({ type: 'send', cid, to: recipient.user.id, content: await contentTo(sender.device, recipient.user.id), groupId: group.id });
    const reply = await replyTo(socket, cid);
    const { socket: recipientSocket } = await openSocket(recipient.token);
    const inbox = await syncAll(recipientSocket);

    expect(reply).toMatchObject({ type: 'ack', cid });
    expect(inbox.some((event) => event.kind === 'message' && event.message.cid === cid)).toBe(true);
  });

  it('non-member group claim is rejected', async () => {
    const owner = await member();
    const recipient = await member();
    const outsider = await member();
    const group = await createGroup(owner);
    await addByInvite(owner, group.id, recipient);
    const { socket } = await openSocket(outsider.token);

    const cid = controlCid();
    socket.send({ type: 'send', cid, to: recipient.user.id, content: await contentTo(outsider.device, recipient.user.id), groupId: group.id });

    expect(await replyTo(socket, cid)).toMatchObject({ type: 'error', code: 'not_allowed', cid });
  });

  it('group claim needs a control cid', async () => {
    const owner = await member();
    const recipient = await member();
    const group = await createGroup(owner);
    await addByInvite(owner, group.id, recipient);
    const { socket } = await openSocket(owner.token);

    const cid = newCid();
    socket.send({ type: 'send', cid, to: recipient.user.id, content: await contentTo(owner.device, recipient.user.id), groupId: group.id });

    expect(await replyTo(socket, cid)).toMatchObject({ type: 'error', code: 'invalid_request', cid });
  });
});
