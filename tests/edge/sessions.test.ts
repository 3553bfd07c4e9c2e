import { describe, expect, it } from 'vitest';
import { CLOSE_SESSION_REVOKED } from '../../protocol/frames';
import type { AuthResponse, SessionListResponse } from '../../protocol/api';
import type { ErrorBody } from '../../protocol/errors';
import { callApi, PHONE_USER_AGENT, registerUser, signIn, uniqueUsername } from './fixtures/accounts';
import { openSocket } from './fixtures/sockets';

describe('sign-in', () => {
  it('returns a new session', async () => {
    const user = await registerUser();
    const response = await callApi('/sessions', {
      method: 'POST',
      userAgent: PHONE_USER_AGENT,
      body: { username: user.username, password: user.password },
    });

    expect(response.status).toBe(201);
    const auth = await response.json<AuthResponse>();
    expect(auth.token).not.toBe(user.token);
    expect(auth.session.deviceClass).toBe('phone');
    expect(auth.session.userAgent).toBe(PHONE_USER_AGENT);
    expect(auth.user.id).toBe(user.user.id);
  });

  it('ignores case of the username', async () => {
    const user = await registerUser();
    const auth = await signIn(user.username.toUpperCase(), { userAgent: PHONE_USER_AGENT });
    expect(auth.user.id).toBe(user.user.id);
  });

  it('wrong password is rejected', async () => {
    const user = await registerUser();
    const response = await callApi('/sessions', {
      method: 'POST',
      body: { username: user.username, password: 'wrong password' },
    });

    expect(response.status).toBe(401);
    expect((await response.json<ErrorBody>()).error.code).toBe('invalid_credentials');
  });

  it('unknown username is rejected', async () => {
    const response = await callApi('/sessions', {
      method: 'POST',
      body: { username: uniqueUsername(), password: 'whatever password' },
    });

    expect(response.status).toBe(401);
    expect((await response.json<ErrorBody>()).error.code).toBe('invalid_credentials');
  });
});

describe('session list', () => {
  it('marks the current session', async () => {
    const user = await registerUser();
    const phone = await signIn(user.username, { userAgent: PHONE_USER_AGENT });

    const response = await callApi('/sessions', { token: phone.token });

    expect(response.status).toBe(200);
    const { sessions } = await response.json<SessionListResponse>();
    expect(sessions.map((s) => s.id).sort()).toEqual([user.session.id, phone.session.id].sort());
    expect(sessions.find((s) => s.id === phone.session.id)?.current).toBe(true);
    expect(sessions.find((s) => s.id === user.session.id)?.current).toBe(false);
    expect(sessions.find((s) => s.id === phone.session.id)?.deviceClass).toBe('phone');
  });

  it('requires a token', async () => {
    const response = await callApi('/sessions');
    expect(response.status).toBe(401);
    expect((await response.json<ErrorBody>()).error.code).toBe('unauthorized');
  });
});

describe('sign-out', () => {
  it('current session revokes its token', async () => {
    const user = await registerUser();
    const { socket } = await openSocket(user.token);

    const response = await callApi('/sessions/current', { method: 'DELETE', token: user.token });

    expect(response.status).toBe(204);
    expect(await socket.nextFrame()).toEqual({ type: 'kicked', reason: 'signed_out' });
    expect((await socket.closed).code).toBe(CLOSE_SESSION_REVOKED);
    expect((await callApi('/me', { token: user.token })).status).toBe(401);
  });

  it('another own session by id', async () => {
    const user = await registerUser();
    const phone = await signIn(user.username, { userAgent: PHONE_USER_AGENT });
    const { socket: phoneSocket } = await openSocket(phone.token);

    const response = await callApi(`/sessions/${phone.session.id}`, { method: 'DELETE', token: user.token });

    expect(response.status).toBe(204);
    expect(await phoneSocket.nextFrame()).toEqual({ type: 'kicked', reason: 'signed_out' });
    expect((await phoneSocket.closed).code).toBe(CLOSE_SESSION_REVOKED);
    expect((await callApi('/me', { token: phone.token })).status).toBe(401);
    expect((await callApi('/me', { token: user.token })).status).toBe(200);
  });

  it("someone else's session is not found", async () => {
    const user = await registerUser();
    const stranger = await registerUser();

    const response = await callApi(`/sessions/${stranger.session.id}`, { method: 'DELETE', token: user.token });

    expect(response.status).toBe(404);
    expect((await response.json<ErrorBody>()).error.code).toBe('not_found');
    expect((await callApi('/me', { token: stranger.token })).status).toBe(200);
  });

  it('twice is not found', async () => {
    const user = await registerUser();
    const phone = await signIn(user.username, { userAgent: PHONE_USER_AGENT });

    const first = await callApi(`/sessions/${phone.session.id}`, { method: 'DELETE', token: user.token });
    const second = await callApi(`/sessions/${phone.session.id}`, { method: 'DELETE', token: user.token });

    expect(first.status).toBe(204);
    expect(second.status).toBe(404);
  });
});
