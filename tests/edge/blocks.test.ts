import { describe, expect, it } from 'vitest';
import type { UserProfileView } from '../../protocol/api';
import type { FriendRequestListResponse, SearchResponse, UserListResponse } from '../../protocol/relations';
import { callApi, registerUser } from './fixtures/accounts';
import { befriend, block, follow, sendFriendRequest } from './fixtures/relations';

async function ids(token: string, path: string): Promise<string[]> {
  const response = await callApi(path, { token });
  expect(response.status).toBe(200);
  return (await response.json<UserListResponse>()).users.map((user) => user.id);
}

async function profile(token: string, userId: string): Promise<UserProfileView> {
  const response = await callApi(`/users/${userId}`, { token });
  expect(response.status).toBe(200);
  return response.json<UserProfileView>();
}

async function searchIds(token: string, q: string): Promise<string[]> {
  const response = await callApi(`/search/users?q=${encodeURIComponent(q)}&limit=50`, { token });
  expect(response.status).toBe(200);
  return (await response.json<SearchResponse>()).users.map((user) => user.id);
}

describe('block', () => {
  it('removes follows and friendship both ways', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await befriend(alice, bob);
    await follow(alice, bob.user.id);
    await follow(bob, alice.user.id);

    await block(alice, bob.user.id);

    expect(await ids(alice.token, '/me/friends')).toEqual([]);
    expect(await ids(bob.token, '/me/friends')).toEqual([]);
    expect(await ids(alice.token, '/me/following')).toEqual([]);
    expect(await ids(alice.token, '/me/followers')).toEqual([]);
    expect(await ids(bob.token, '/me/following')).toEqual([]);
  });

  it('removes pending requests both ways', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await sendFriendRequest(bob, alice.user.id, 'please');

    await block(alice, bob.user.id);
    const incoming = await callApi('/me/friend-requests?direction=incoming', { token: alice.token });

    expect((await incoming.json<FriendRequestListResponse>()).requests).toEqual([]);
  });

  it('blocked user sees the public minimum', async () => {
    const alice = await registerUser({ displayName: 'Alice' });
    const bob = await registerUser();
    await callApi('/me', { method: 'PATCH', token: alice.token, body: { bio: 'secret bio', region: '上海', gender: 'female' } });

    await block(alice, bob.user.id);
    const seen = await profile(bob.token, alice.user.id);

    expect(seen).toEqual({
      id: alice.user.id,
      username: alice.username,
      displayName: 'Alice',
      bio: '',
      relation: {
        following: false,
        followedBy: false,
        friend: false,
        requestSent: false,
        requestReceived: false,
        blocking: false,
        muted: false,
      },
    });
  });

  it('blocker sees the full profile flagged', async () => {
    const alice = await registerUser();
    const bob = await registerUser();

    await block(alice, bob.user.id);
    const seen = await profile(alice.token, bob.user.id);

    expect(seen.relation.blocking).toBe(true);
    expect(seen.counts).toBeDefined();
  });

  it('hides each side from search', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    expect(await searchIds(bob.token, alice.username)).toContain(alice.user.id);

    await block(alice, bob.user.id);

    expect(await searchIds(bob.token, alice.username)).not.toContain(alice.user.id);
    expect(await searchIds(alice.token, bob.username)).not.toContain(bob.user.id);
  });

  it('unblock restores nothing', async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await befriend(alice, bob);
    await follow(bob, alice.user.id);
    await block(alice, bob.user.id);

    const response = await callApi(`/blocks/${bob.user.id}`, { method: 'DELETE', token: alice.token });

    expect(response.status).toBe(204);
    expect(await ids(alice.token, '/me/friends')).toEqual([]);
    expect(await ids(alice.token, '/me/followers')).toEqual([]);
    expect(await ids(alice.token, '/me/blocks')).toEqual([]);
    expect(await searchIds(bob.token, alice.username)).toContain(alice.user.id);
  });

  it('blocked list pages', async () => {
    const alice = await registerUser();
    const blocked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const other = await registerUser();
      await block(alice, other.user.id);
      blocked.push(other.user.id);
    }

    const first = await callApi('/me/blocks?limit=2', { token: alice.token });
    const firstPage = await first.json<UserListResponse>();
    const second = await callApi(`/me/blocks?limit=2&cursor=${firstPage.nextCursor}`, { token: alice.token });
    const secondPage = await second.json<UserListResponse>();

    const seen = [...firstPage.users, ...secondPage.users].map((user) => user.id);
    expect(firstPage.users).toHaveLength(2);
    expect(secondPage.nextCursor).toBeNull();
    expect(seen.sort()).toEqual(blocked.sort());
  });

  it('blocking twice changes nothing', async () => {
    const alice = await registerUser();
    const bob = await registerUser();

    await block(alice, bob.user.id);
    await block(alice, bob.user.id);

    expect(await ids(alice.token, '/me/blocks')).toEqual([bob.user.id]);
  });

  it('blocking yourself fails', async () => {
    const alice = await registerUser();
    expect((await callApi(`/blocks/${alice.user.id}`, { method: 'PUT', token: alice.token })).status).toBe(400);
  });
});
