import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { UserProfileView } from '../../protocol/api';
import { FRIEND_REQUEST_MESSAGE_MAX_CHARS, FRIEND_REQUEST_TTL_MS } from '../../protocol/limits';
import type { FriendRequestListResponse, FriendRequestResult, UserListResponse } from '../../protocol/relations';
import { openDatabase } from '../../edge/db/client';
import { acceptFriendRequest, declineFriendRequest, listFriendRequests, sendFriendRequest as storeRequest } from '../../edge/db/friends';
import { callApi, registerUser } from './fixtures/accounts';
import { befriend, errorCodeOf, sendFriendRequest, syncAll } from './fixtures/relations';
import { openSocket } from './fixtures/sockets';

async function friendIds(token: string): Promise<string[]> {
  const response = await callApi('/me/friends', { token });
  expect(response.status).toBe(200);
  return (await response.json<UserListResponse>()).users.map((user) => user.id);
}

async function requests(token: string, direction: 'incoming' | 'outgoing'): Promise<FriendRequestListResponse> {
  const response = await callApi(`/me/friend-requests?direction=${direction}`, { token });
  expect(response.status).toBe(200);
  return response.json<FriendRequestListResponse>();
}

describe('friend requests', () => {
  it('request reaches the target live', async () => {
    const alice = await registerUser({ displayName: '爱丽丝' });
    const bob = await registerUser();
    const { socket } = await openSocket(bob.token);

    const response = await sendFriendRequest(alice, bob.user.id, '我是爱丽丝');
    const frame = await socket.nextFrameOf('event');

    expect(response.status).toBe(201);
    const result = await response.json<FriendRequestResult>();
    expect(result.status).toBe('pending');
    expect(frame.event).toMatchObject({
      kind: 'friend',
      action: 'requested',
      user: { id: alice.user.id, displayName: '爱丽丝' },
      message: '我是爱丽丝',
    });
  });

  it('request event arrives on sync', async () => {
    const alice = await registerUser();
    const bob = await registerUser();

    await sendFriendRequest(alice, bob.user.id, 'hello');
    const { socket } = await openSocket(bob.token);
    const events = await syncAll(socket);

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'friend', action: 'requested', message: 'hello' });
  });

  it('listed incoming and outgoing', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await sendFriendRequest(alice, bob.user.id, 'hi bob');

    const incoming = await requests(bob.token, 'incoming');
    const outgoing = await requests(alice.token, 'outgoing');

    expect(incoming.requests.map((request) => [request.user.id, request.message])).toEqual([[alice.user.id, 'hi bob']]);
    expect(outgoing.requests.map((request) => request.user.id)).toEqual([bob.user.id]);
    const request = incoming.requests[0]!;
    expect(request.expiresAt - request.createdAt).toBe(FRIEND_REQUEST_TTL_MS);
  });

  it('repeated request replaces the pending one', async () => {
    const alice = await registerUser();
    const bob = await registerUser();

    await sendFriendRequest(alice, bob.user.id, 'first');
    await sendFriendRequest(alice, bob.user.id, 'second');
    const incoming = await requests(bob.token, 'incoming');

    expect(incoming.requests.map((request) => request.message)).toEqual(['second']);
  });

  it.each([
    { case: 'the maximum', length: FRIEND_REQUEST_MESSAGE_MAX_CHARS, status: 201 },
    { case: 'one past the maximum', length: FRIEND_REQUEST_MESSAGE_MAX_CHARS + 1, status: 400 },
  ])('message at $case', async ({ length, status }) => {
    const alice = await registerUser();
    const bob = await registerUser();

    const response = await sendFriendRequest(alice, bob.user.id, '你'.repeat(length));

    expect(response.status).toBe(status);
    if (status === 400) {
      const body = await response.json<{ error: { code: string; limit: number; value: number } }>();
      expect(body.error).toMatchObject({
        code: 'request_message_too_long',
        limit: FRIEND_REQUEST_MESSAGE_MAX_CHARS,
        value: FRIEND_REQUEST_MESSAGE_MAX_CHARS + 1,
      });
    }
  });

  it('request to yourself fails', async () => {
    const alice = await registerUser();
    const response = await sendFriendRequest(alice, alice.user.id);

    expect(response.status).toBe(400);
    expect(await errorCodeOf(response)).toBe('invalid_request');
  });
});

describe('answering requests', () => {
  it('accept makes friends both ways', async () => {
    const alice = await registerUser();
    const bob = await registerUser({ displayName: 'Bob' });
    await sendFriendRequest(alice, bob.user.id);
    const { socket } = await openSocket(alice.token);

    const response = await callApi(`/friend-requests/${alice.user.id}/accept`, { method: 'POST', token: bob.token });
    const frame = await socket.nextFrameOf('event');

    expect(response.status).toBe(204);
    expect(frame.event).toMatchObject({ kind: 'friend', action: 'accepted', user: { id: bob.user.id, displayName: 'Bob' } });
    expect(await friendIds(alice.token)).toEqual([bob.user.id]);
    expect(await friendIds(bob.token)).toEqual([alice.user.id]);
    expect((await requests(bob.token, 'incoming')).requests).toEqual([]);
  });

  it('decline tells the requester', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await sendFriendRequest(alice, bob.user.id);

    const response = await callApi(`/friend-requests/${alice.user.id}/decline`, { method: 'POST', token: bob.token });
    const { socket } = await openSocket(alice.token);
    const events = await syncAll(socket);

    expect(response.status).toBe(204);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'friend', action: 'declined', user: { id: bob.user.id } });
    expect(await friendIds(alice.token)).toEqual([]);
    expect((await requests(alice.token, 'outgoing')).requests).toEqual([]);
  });

  it('accept without a request is not found', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    const response = await callApi(`/friend-requests/${alice.user.id}/accept`, { method: 'POST', token: bob.token });

    expect(response.status).toBe(404);
  });

  it('crossing requests make friends at once', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await sendFriendRequest(alice, bob.user.id, 'from alice');
    const { socket } = await openSocket(alice.token);

    const crossing = await sendFriendRequest(bob, alice.user.id, 'from bob');
    const frame = await socket.nextFrameOf('event');

    expect(crossing.status).toBe(200);
    expect(await crossing.json<FriendRequestResult>()).toEqual({ status: 'friends' });
    expect(frame.event).toMatchObject({ kind: 'friend', action: 'accepted', user: { id: bob.user.id } });
    expect(await friendIds(alice.token)).toEqual([bob.user.id]);
    expect((await requests(alice.token, 'incoming')).requests).toEqual([]);
    expect((await requests(alice.token, 'outgoing')).requests).toEqual([]);
  });

  it('request between friends changes nothing', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await befriend(alice, bob);

    const again = await sendFriendRequest(alice, bob.user.id);

    expect(again.status).toBe(200);
    expect(await again.json<FriendRequestResult>()).toEqual({ status: 'friends' });
    expect((await requests(bob.token, 'incoming')).requests).toEqual([]);
  });

  it('remove ends it for both', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await befriend(alice, bob);
    const { socket } = await openSocket(alice.token);
    await syncAll(socket);

    const response = await callApi(`/friends/${alice.user.id}`, { method: 'DELETE', token: bob.token });
    const frame = await socket.nextFrameOf('event');

    expect(response.status).toBe(204);
    expect(frame.event).toMatchObject({ kind: 'friend', action: 'removed', user: { id: bob.user.id } });
    expect(await friendIds(alice.token)).toEqual([]);
    expect(await friendIds(bob.token)).toEqual([]);
    expect((await callApi(`/friends/${alice.user.id}`, { method: 'DELETE', token: bob.token })).status).toBe(404);
  });

  it('friend count on the profile', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await befriend(alice, bob);

    const profile = await (await callApi(`/users/${bob.user.id}`, { token: alice.token })).json<UserProfileView>();

    expect(profile.counts?.friends).toBe(1);
    expect(profile.relation.friend).toBe(true);
  });
});

describe('request expiry', () => {
  const db = () => openDatabase(env.DB);
  const sentAt = 1_800_000_000_000;

  it('accept just before expiry works', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await storeRequest(db(), alice.user.id, bob.user.id, '', sentAt);

    expect(await acceptFriendRequest(db(), bob.user.id, alice.user.id, sentAt + FRIEND_REQUEST_TTL_MS - 1)).toBe(true);
  });

  it('accept at expiry fails', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await storeRequest(db(), alice.user.id, bob.user.id, '', sentAt);

    expect(await acceptFriendRequest(db(), bob.user.id, alice.user.id, sentAt + FRIEND_REQUEST_TTL_MS)).toBe(false);
    expect(await declineFriendRequest(db(), bob.user.id, alice.user.id, sentAt + FRIEND_REQUEST_TTL_MS)).toBe(false);
  });

  it('expired request leaves the lists', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await storeRequest(db(), alice.user.id, bob.user.id, '', sentAt);

    const before = await listFriendRequests(db(), bob.user.id, 'incoming', 10, undefined, sentAt + FRIEND_REQUEST_TTL_MS - 1);
    const after = await listFriendRequests(db(), bob.user.id, 'incoming', 10, undefined, sentAt + FRIEND_REQUEST_TTL_MS);

    expect(before.requests).toHaveLength(1);
    expect(after.requests).toEqual([]);
  });

  it('expired request does not cross', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await storeRequest(db(), alice.user.id, bob.user.id, '', sentAt);

    const outcome = await storeRequest(db(), bob.user.id, alice.user.id, '', sentAt + FRIEND_REQUEST_TTL_MS);

    expect(outcome).toEqual({ status: 'pending', expiresAt: sentAt + 2 * FRIEND_REQUEST_TTL_MS });
  });

  it('repeat renews the expiry', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await storeRequest(db(), alice.user.id, bob.user.id, '', sentAt);
    await storeRequest(db(), alice.user.id, bob.user.id, '', sentAt + FRIEND_REQUEST_TTL_MS - 1);

    expect(await acceptFriendRequest(db(), bob.user.id, alice.user.id, sentAt + FRIEND_REQUEST_TTL_MS + 1)).toBe(true);
  });

  it('expired request is gone over HTTP', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await storeRequest(db(), alice.user.id, bob.user.id, 'old', Date.now() - FRIEND_REQUEST_TTL_MS);

    const accept = await callApi(`/friend-requests/${alice.user.id}/accept`, { method: 'POST', token: bob.token });

    expect(accept.status).toBe(404);
    expect((await requests(bob.token, 'incoming')).requests).toEqual([]);
  });
});
