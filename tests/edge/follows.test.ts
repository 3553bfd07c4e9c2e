import { describe, expect, it } from 'vitest';
import type { UserProfileView } from '../../protocol/api';
import type { UserListResponse } from '../../protocol/relations';
import { USER_LIST_PAGE_MAX } from '../../protocol/limits';
import { callApi, registerUser } from './fixtures/accounts';
import { errorCodeOf, follow, syncAll } from './fixtures/relations';
import { openSocket } from './fixtures/sockets';

async function profileOf(viewerToken: string, userId: string): Promise<UserProfileView> {
  const response = await callApi(`/users/${userId}`, { token: viewerToken });
  expect(response.status).toBe(200);
  return response.json<UserProfileView>();
}

async function listOf(token: string, path: string): Promise<UserListResponse> {
  const response = await callApi(path, { token });
  expect(response.status).toBe(200);
  return response.json<UserListResponse>();
}

describe('follow', () => {
  it('pushes a follow event live', async () => {
    const fan = await registerUser({ displayName: '粉丝' });
    const star = await registerUser();
    const { socket } = await openSocket(star.token);

    await follow(fan, star.user.id);
    const frame = await socket.nextFrameOf('event');

    expect(frame.event).toMatchObject({
      kind: 'follow',
      follower: { id: fan.user.id, username: fan.username, displayName: '粉丝' },
    });
  });

  it('follow event arrives on sync', async () => {
    const fan = await registerUser();
    const star = await registerUser();

    await follow(fan, star.user.id);
    const { socket } = await openSocket(star.token);
    const events = await syncAll(socket);

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'follow', seq: 1, follower: { id: fan.user.id } });
  });

  it('repeated follow adds one event', async () => {
    const fan = await registerUser();
    const star = await registerUser();

    await follow(fan, star.user.id);
    await follow(fan, star.user.id);
    const { socket } = await openSocket(star.token);

    expect(await syncAll(socket)).toHaveLength(1);
  });

  it('counts and flags on the profile', async () => {
    const fan = await registerUser();
    const star = await registerUser();

    await follow(fan, star.user.id);
    const seenByFan = await profileOf(fan.token, star.user.id);
    const seenByStar = await profileOf(star.token, fan.user.id);

    expect(seenByFan.counts).toEqual({ followers: 1, following: 0, friends: 0 });
    expect(seenByFan.relation.following).toBe(true);
    expect(seenByStar.counts).toEqual({ followers: 0, following: 1, friends: 0 });
    expect(seenByStar.relation.followedBy).toBe(true);
  });

  it('unfollow removes it silently', async () => {
    const fan = await registerUser();
    const star = await registerUser();
    await follow(fan, star.user.id);

    const response = await callApi(`/following/${star.user.id}`, { method: 'DELETE', token: fan.token });
    const { socket } = await openSocket(star.token);

    expect(response.status).toBe(204);
    expect((await profileOf(fan.token, star.user.id)).counts?.followers).toBe(0);
    expect(await syncAll(socket)).toHaveLength(1);
  });

  it('following yourself fails', async () => {
    const user = await registerUser();
    const response = await callApi(`/following/${user.user.id}`, { method: 'PUT', token: user.token });

    expect(response.status).toBe(400);
    expect(await errorCodeOf(response)).toBe('invalid_request');
  });

  it('unknown user is not found', async () => {
    const user = await registerUser();
    const response = await callApi('/following/no-such-user', { method: 'PUT', token: user.token });

    expect(response.status).toBe(404);
  });

  it('requires a token', async () => {
    const star = await registerUser();
    expect((await callApi(`/following/${star.user.id}`, { method: 'PUT' })).status).toBe(401);
  });
});

describe('follow lists', () => {
  it('pages followers without gaps or repeats', async () => {
    const star = await registerUser();
    const fans = [];
    for (let i = 0; i < 5; i++) {
      const fan = await registerUser();
      await follow(fan, star.user.id);
      fans.push(fan.user.id);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await listOf(star.token, `/me/followers?limit=2${query}`);
      expect(page.users.length).toBeLessThanOrEqual(2);
      seen.push(...page.users.map((user) => user.id));
      cursor = page.nextCursor;
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...fans].sort());
  });

  it('following list of the fan', async () => {
    const fan = await registerUser();
    const star = await registerUser({ displayName: 'Star' });
    await follow(fan, star.user.id);

    const page = await listOf(fan.token, '/me/following');

    expect(page.users).toEqual([{ id: star.user.id, username: star.username, displayName: 'Star' }]);
    expect(page.nextCursor).toBeNull();
  });

  it.each([
    { case: 'the maximum', limit: USER_LIST_PAGE_MAX, status: 200 },
    { case: 'one past the maximum', limit: USER_LIST_PAGE_MAX + 1, status: 400 },
    { case: 'zero', limit: 0, status: 400 },
  ])('limit at $case', async ({ limit, status }) => {
    const user = await registerUser();
    const response = await callApi(`/me/following?limit=${limit}`, { token: user.token });

    expect(response.status).toBe(status);
    if (status === 400) expect(await errorCodeOf(response)).toBe('invalid_request');
  });

  it('foreign cursor is rejected', async () => {
    const user = await registerUser();
    const response = await callApi('/me/followers?cursor=not-a-cursor', { token: user.token });

    expect(response.status).toBe(400);
    expect(await errorCodeOf(response)).toBe('invalid_request');
  });
});
