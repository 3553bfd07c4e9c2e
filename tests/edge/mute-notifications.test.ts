// Mutes keep messages out of the recipient's inbox while the sender gets a
// normal ack. Notification switches let messages arrive and count as unread,
// but turn the notification decision off. Settings reach every device.

import { describe, expect, it } from 'vitest';
import { directConversationId, type InboxEvent } from '../../protocol/frames';
import { notificationPreferences, shouldNotify } from '../../protocol/notifications';
import type { ConversationSettings } from '../../protocol/relations';
import { callApi } from './fixtures/accounts';
import { contentTo, markerOf, registerUserWithDevice, type TestDevice } from './fixtures/devices';
import { readSettings, syncAll, type Actor } from './fixtures/relations';
import { newCid, openSocket, type TestSocket } from './fixtures/sockets';

interface Party extends Actor {
  device: TestDevice;
}

async function party(): Promise<Party> {
  const { user, device } = await registerUserWithDevice();
  return { token: user.token, user: user.user, device };
}

/** Sends a message marked `marker` and returns the reply frame. */
async function send(socket: TestSocket, from: Party, to: Party, marker: string) {
  socket.send({ type: 'send', cid: newCid(), to: to.user.id, content: await contentTo(from.device, to.user.id, marker) });
  return socket.nextFrame();
}

/** Returns the one message event among `events`, and fails the test unless there is exactly one. */
function messageEventOf(events: readonly InboxEvent[]): InboxEvent {
  const messages = events.filter((event) => event.kind === 'message');
  if (messages.length !== 1 || !messages[0]) throw new Error(`Expected one message event, got ${JSON.stringify(events)}`);
  return messages[0];
}

function markersOf(events: readonly InboxEvent[]): string[] {
  return events.flatMap((event) => (event.kind === 'message' ? [markerOf(event.message.content)] : []));
}

async function patchConversation(actor: Actor, conversationId: string, body: Partial<ConversationSettings>): Promise<Response> {
  return callApi(`/me/conversations/${encodeURIComponent(conversationId)}/settings`, { method: 'PATCH', token: actor.token, body });
}

describe('mute a user', () => {
  it('sender gets an ack; nothing arrives', async () => {
    const sender = await party();
    const recipient = await party();
    const { socket: recipientSocket } = await openSocket(recipient.token);
    expect((await callApi(`/me/muted-users/${sender.user.id}`, { method: 'PUT', token: recipient.token })).status).toBe(204);
    await recipientSocket.nextFrameOf('event');

    const { socket } = await openSocket(sender.token);
    const reply = await send(socket, sender, recipient, 'muted');

    expect(reply.type).toBe('ack');
    expect(markersOf(await syncAll(recipientSocket))).toEqual([]);
    expect(recipientSocket.pendingFrames()).toEqual([]);
  });

  it('unmute shows only later messages', async () => {
    const sender = await party();
    const recipient = await party();
    await callApi(`/me/muted-users/${sender.user.id}`, { method: 'PUT', token: recipient.token });
    const { socket } = await openSocket(sender.token);

    await send(socket, sender, recipient, 'while muted');
    await callApi(`/me/muted-users/${sender.user.id}`, { method: 'DELETE', token: recipient.token });
    await send(socket, sender, recipient, 'after unmute');
    const { socket: recipientSocket } = await openSocket(recipient.token);

    expect(markersOf(await syncAll(recipientSocket))).toEqual(['after unmute']);
  });

  it('listed in the settings', async () => {
    const sender = await party();
    const recipient = await party();

    await callApi(`/me/muted-users/${sender.user.id}`, { method: 'PUT', token: recipient.token });

    expect((await readSettings(recipient)).mutedUserIds).toEqual([sender.user.id]);
  });
});

describe('mute a conversation', () => {
  it('holds back its messages only', async () => {
    const sender = await party();
    const other = await party();
    const recipient = await party();
    const conversationId = directConversationId(sender.user.id, recipient.user.id);
    expect((await patchConversation(recipient, conversationId, { muted: true })).status).toBe(200);

    const { socket } = await openSocket(sender.token);
    const { socket: otherSocket } = await openSocket(other.token);
    const reply = await send(socket, sender, recipient, 'muted conversation');
    await send(otherSocket, other, recipient, 'other conversation');
    const { socket: recipientSocket } = await openSocket(recipient.token);

    expect(reply.type).toBe('ack');
    expect(markersOf(await syncAll(recipientSocket))).toEqual(['other conversation']);
  });

  it('foreign conversation id fails', async () => {
    const alice = await party();
    const response = await patchConversation(alice, directConversationId('someone', 'else'), { muted: true });

    expect(response.status).toBe(400);
  });
});

describe('notifications off', () => {
  it('conversation off still delivers', async () => {
    const sender = await party();
    const recipient = await party();
    const conversationId = directConversationId(sender.user.id, recipient.user.id);
    await patchConversation(recipient, conversationId, { notifications: false });

    const { socket } = await openSocket(sender.token);
    await send(socket, sender, recipient, 'quiet');
    const { socket: recipientSocket } = await openSocket(recipient.token);
    const events = await syncAll(recipientSocket);
    const message = messageEventOf(events);
    const preferences = notificationPreferences(await readSettings(recipient));

    expect(markersOf(events)).toEqual(['quiet']);
    expect(shouldNotify(recipient.user.id, message, preferences)).toBe(false);
  });

  it('global off still delivers', async () => {
    const sender = await party();
    const recipient = await party();
    await callApi('/me/settings', { method: 'PATCH', token: recipient.token, body: { notifications: false } });

    const { socket } = await openSocket(sender.token);
    await send(socket, sender, recipient, 'global quiet');
    const { socket: recipientSocket } = await openSocket(recipient.token);
    const events = await syncAll(recipientSocket);
    const message = messageEventOf(events);
    const preferences = notificationPreferences(await readSettings(recipient));

    expect(markersOf(events)).toEqual(['global quiet']);
    expect(shouldNotify(recipient.user.id, message, preferences)).toBe(false);
  });

  it('defaults notify', async () => {
    const sender = await party();
    const recipient = await party();

    const { socket } = await openSocket(sender.token);
    await send(socket, sender, recipient, 'loud');
    const { socket: recipientSocket } = await openSocket(recipient.token);
    const message = messageEventOf(await syncAll(recipientSocket));
    const preferences = notificationPreferences(await readSettings(recipient));

    expect(shouldNotify(recipient.user.id, message, preferences)).toBe(true);
  });
});

describe('settings sync', () => {
  it('every device gets the change', async () => {
    const user = await party();
    const { socket } = await openSocket(user.token);

    const response = await callApi('/me/settings', {
      method: 'PATCH',
      token: user.token,
      body: { messagePrivacy: 'friends', notifications: false },
    });
    const frame = await socket.nextFrameOf('event');

    expect(response.status).toBe(200);
    expect(frame.event).toMatchObject({
      kind: 'settings',
      settings: { scope: 'account', messagePrivacy: 'friends', notifications: false },
    });
  });

  it('conversation change arrives on sync', async () => {
    const user = await party();
    const peer = await party();
    const conversationId = directConversationId(user.user.id, peer.user.id);

    await patchConversation(user, conversationId, { notifications: false });
    await patchConversation(user, conversationId, { muted: true });
    const { socket } = await openSocket(user.token);
    const events = await syncAll(socket);

    expect(events.map((event) => (event.kind === 'settings' ? event.settings : undefined))).toEqual([
      { scope: 'conversation', conversationId, muted: false, notifications: false },
      { scope: 'conversation', conversationId, muted: true, notifications: false },
    ]);
  });

  it('settings read back', async () => {
    const user = await party();
    const peer = await party();
    const conversationId = directConversationId(user.user.id, peer.user.id);

    await callApi('/me/settings', { method: 'PATCH', token: user.token, body: { messagePrivacy: 'following' } });
    await patchConversation(user, conversationId, { notifications: false });

    expect(await readSettings(user)).toEqual({
      messagePrivacy: 'following',
      notifications: true,
      conversations: [{ conversationId, muted: false, notifications: false }],
      mutedUserIds: [],
    });
  });

  it('empty change adds no event', async () => {
    const user = await party();

    const response = await callApi('/me/settings', { method: 'PATCH', token: user.token, body: {} });
    const { socket } = await openSocket(user.token);

    expect(response.status).toBe(200);
    expect(await syncAll(socket)).toEqual([]);
  });

  it('invalid privacy value fails', async () => {
    const user = await party();
    const response = await callApi('/me/settings', { method: 'PATCH', token: user.token, body: { messagePrivacy: 'nobody' } });

    expect(response.status).toBe(400);
  });
});
