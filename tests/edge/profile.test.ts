import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { OwnProfile, UserProfileView } from '../../protocol/api';
import type { ErrorBody } from '../../protocol/errors';
import { BIO_MAX_CHARS, DISPLAY_NAME_MAX_CHARS } from '../../protocol/limits';
import { LAST_SEEN_WRITE_INTERVAL_MS } from '../../edge/auth/authenticate';
import { callApi, registerUser } from './fixtures/accounts';

async function lastSeenAt(sessionId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT last_seen_at FROM sessions WHERE id = ?')
    .bind(sessionId)
    .first<{ last_seen_at: number }>();
  if (!row) throw new Error(`Session ${sessionId} is missing from D1.`);
  return row.last_seen_at;
}

async function setLastSeenAt(sessionId: string, value: number): Promise<void> {
  await env.DB.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').bind(value, sessionId).run();
}

describe('own profile', () => {
  it('GET /me returns it', async () => {
    const user = await registerUser({ displayName: '李雷' });
    const response = await callApi('/me', { token: user.token });

    expect(response.status).toBe(200);
    expect(await response.json<OwnProfile>()).toEqual(user.user);
  });

  it('PATCH changes only given fields', async () => {
    const user = await registerUser({ displayName: 'Before' });

    const bio = await callApi('/me', { method: 'PATCH', token: user.token, body: { bio: 'line one\nline two' } });
    const name = await callApi('/me', { method: 'PATCH', token: user.token, body: { displayName: ' 韩梅梅 ' } });

    expect(bio.status).toBe(200);
    expect((await bio.json<OwnProfile>()).displayName).toBe('Before');
    const profile = await name.json<OwnProfile>();
    expect(profile.displayName).toBe('韩梅梅');
    expect(profile.bio).toBe('line one\nline two');
  });

  it('PATCH with no fields changes nothing', async () => {
    const user = await registerUser();
    const response = await callApi('/me', { method: 'PATCH', token: user.token, body: {} });

    expect(response.status).toBe(200);
    expect(await response.json<OwnProfile>()).toEqual(user.user);
  });

  it.each([
    { case: 'maximum length', length: BIO_MAX_CHARS, status: 200 },
    { case: 'one over the maximum', length: BIO_MAX_CHARS + 1, status: 400 },
  ])('bio at $case', async ({ length, status }) => {
    const user = await registerUser();
    const response = await callApi('/me', { method: 'PATCH', token: user.token, body: { bio: '鸽'.repeat(length) } });

    expect(response.status).toBe(status);
    if (status === 400) {
      const body = await response.json<ErrorBody>();
      expect(body.error.code).toBe('bio_too_long');
      expect(body.error.limit).toBe(BIO_MAX_CHARS);
      expect(body.error.value).toBe(length);
    }
  });

  it('bio with a control character fails', async () => {
    const user = await registerUser();
    const response = await callApi('/me', { method: 'PATCH', token: user.token, body: { bio: 'tab\there' } });

    expect(response.status).toBe(400);
    const body = await response.json<ErrorBody>();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.field).toBe('bio');
  });

  it('display name past the limit fails', async () => {
    const user = await registerUser();
    const displayName = 'n'.repeat(DISPLAY_NAME_MAX_CHARS + 1);
    const response = await callApi('/me', { method: 'PATCH', token: user.token, body: { displayName } });

    expect(response.status).toBe(400);
    expect((await response.json<ErrorBody>()).error.code).toBe('display_name_invalid');
  });

  it('requires a token', async () => {
    const response = await callApi('/me');

    expect(response.status).toBe(401);
    expect((await response.json<ErrorBody>()).error.code).toBe('unauthorized');
  });
});

describe('public profiles', () => {
  it('by id and by username ignoring case', async () => {
    const viewer = await registerUser();
    const target = await registerUser({ displayName: '张三' });
    const expected: UserProfileView = {
      id: target.user.id,
      username: target.username,
      displayName: '张三',
      bio: '',
      counts: { followers: 0, following: 0, friends: 0 },
      relation: {
        following: false,
        followedBy: false,
        friend: false,
        requestSent: false,
        requestReceived: false,
        blocking: false,
        muted: false,
      },
    };

    const byId = await callApi(`/users/${target.user.id}`, { token: viewer.token });
    const byName = await callApi(`/users/by-username/${target.username.toUpperCase()}`, { token: viewer.token });

    expect(byId.status).toBe(200);
    expect(await byId.json()).toEqual(expected);
    expect(byName.status).toBe(200);
    expect(await byName.json()).toEqual(expected);
  });

  it('unknown user is not found', async () => {
    const viewer = await registerUser();

    const byId = await callApi('/users/no-such-id', { token: viewer.token });
    const byName = await callApi('/users/by-username/nobody_here_at_all', { token: viewer.token });

    expect(byId.status).toBe(404);
    expect((await byId.json<ErrorBody>()).error.code).toBe('not_found');
    expect(byName.status).toBe(404);
  });

  it('requires a token', async () => {
    const target = await registerUser();
    expect((await callApi(`/users/${target.user.id}`)).status).toBe(401);
  });
});

describe('last seen', () => {
  it('written once the interval passed', async () => {
    const user = await registerUser();
    const stale = Date.now() - LAST_SEEN_WRITE_INTERVAL_MS - 1;
    await setLastSeenAt(user.session.id, stale);

    await callApi('/me', { token: user.token });

    expect(await lastSeenAt(user.session.id)).toBeGreaterThan(stale);
  });

  it('kept within the interval', async () => {
    const user = await registerUser();
    // Far enough inside the interval that the request cannot cross it.
    const recent = Date.now() - LAST_SEEN_WRITE_INTERVAL_MS / 2;
    await setLastSeenAt(user.session.id, recent);

    await callApi('/me', { token: user.token });

    expect(await lastSeenAt(user.session.id)).toBe(recent);
  });
});
