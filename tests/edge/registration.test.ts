import { describe, expect, it } from 'vitest';
import type { AuthResponse } from '../../protocol/api';
import type { ErrorBody } from '../../protocol/errors';
import {
  DISPLAY_NAME_MAX_CHARS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from '../../protocol/limits';
import { callApi, registerUser, uniqueUsername, TEST_PASSWORD } from './fixtures/accounts';

/** Returns a unique username of exactly `length` characters (length >= 3). */
function usernameOfLength(length: number): string {
  return uniqueUsername('r').padEnd(length, 'x').slice(0, length);
}

async function register(body: { username: string; password: string; displayName: string }) {
  return callApi('/accounts', { method: 'POST', body });
}

describe('registration', () => {
  it('returns token, session and profile', async () => {
    const username = uniqueUsername();
    const response = await register({ username, password: TEST_PASSWORD, displayName: '  Ada  ' });

    expect(response.status).toBe(201);
    const auth = await response.json<AuthResponse>();
    expect(auth.token.split('.')).toEqual(['s1', auth.session.id, auth.user.id, expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expect.stringMatching(/^[A-Za-z0-9_-]{43}$/)]);
    expect(auth.user.username).toBe(username);
    expect(auth.user.displayName).toBe('Ada');
    expect(auth.user.bio).toBe('');
    expect(auth.session.current).toBe(true);
    expect(auth.session.deviceClass).toBe('desktop');
  });

  it('accepts a Chinese display name', async () => {
    const user = await registerUser({ displayName: '飞鸽用户' });
    expect(user.user.displayName).toBe('飞鸽用户');
  });

  it('rejects a username taken ignoring case', async () => {
    const user = await registerUser();
    const response = await register({
      username: user.username.toUpperCase(),
      password: TEST_PASSWORD,
      displayName: 'Copy',
    });

    expect(response.status).toBe(409);
    const body = await response.json<ErrorBody>();
    expect(body.error.code).toBe('username_taken');
    expect(body.error.field).toBe('username');
  });

  it.each([
    { case: 'minimum length', length: USERNAME_MIN_LENGTH, status: 201 },
    { case: 'one under the minimum', length: USERNAME_MIN_LENGTH - 1, status: 400 },
    { case: 'maximum length', length: USERNAME_MAX_LENGTH, status: 201 },
    { case: 'one over the maximum', length: USERNAME_MAX_LENGTH + 1, status: 400 },
  ])('username at $case', async ({ length, status }) => {
    // uniqueUsername() is longer than the minimum, so short cases use random letters instead.
    const username = length <= USERNAME_MIN_LENGTH ? randomLetters(length) : usernameOfLength(length);
    const response = await register({ username, password: TEST_PASSWORD, displayName: 'Edge' });

    expect(response.status).toBe(status);
    if (status === 400) {
      const body = await response.json<ErrorBody>();
      expect(body.error.code).toBe('username_invalid');
      expect(body.error.limit).toBe(length < USERNAME_MIN_LENGTH ? USERNAME_MIN_LENGTH : USERNAME_MAX_LENGTH);
      expect(body.error.value).toBe(length);
    }
  });

  it.each(['1abc', '_abc', 'ab-cd', 'ab cd', 'abç', 'ab.cd'])('rejects username %j by pattern', async (username) => {
    const response = await register({ username, password: TEST_PASSWORD, displayName: 'Pattern' });

    expect(response.status).toBe(400);
    const body = await response.json<ErrorBody>();
    expect(body.error.code).toBe('username_invalid');
    expect(body.error.field).toBe('username');
  });

  it.each([
    { case: 'minimum length', length: PASSWORD_MIN_LENGTH, status: 201 },
    { case: 'one under the minimum', length: PASSWORD_MIN_LENGTH - 1, status: 400 },
    { case: 'maximum length', length: PASSWORD_MAX_LENGTH, status: 201 },
    { case: 'one over the maximum', length: PASSWORD_MAX_LENGTH + 1, status: 400 },
  ])('password at $case', async ({ length, status }) => {
    // Code points, not UTF-16 units, count: '密' is one character.
    const password = '密'.repeat(length);
    const response = await register({ username: uniqueUsername(), password, displayName: 'Pw' });

    expect(response.status).toBe(status);
    if (status === 400) {
      const body = await response.json<ErrorBody>();
      expect(body.error.code).toBe('password_invalid');
      expect(body.error.limit).toBe(length < PASSWORD_MIN_LENGTH ? PASSWORD_MIN_LENGTH : PASSWORD_MAX_LENGTH);
      expect(body.error.value).toBe(length);
    }
  });

  it.each([
    { case: 'maximum length', name: '飞'.repeat(DISPLAY_NAME_MAX_CHARS), status: 201 },
    { case: 'one over the maximum', name: '飞'.repeat(DISPLAY_NAME_MAX_CHARS + 1), status: 400 },
    { case: 'maximum in emoji', name: '🕊'.repeat(DISPLAY_NAME_MAX_CHARS), status: 201 },
  ])('display name at $case', async ({ name, status }) => {
    const response = await register({ username: uniqueUsername(), password: TEST_PASSWORD, displayName: name });

    expect(response.status).toBe(status);
    if (status === 400) {
      const body = await response.json<ErrorBody>();
      expect(body.error.code).toBe('display_name_invalid');
      expect(body.error.limit).toBe(DISPLAY_NAME_MAX_CHARS);
      expect(body.error.value).toBe(DISPLAY_NAME_MAX_CHARS + 1);
    }
  });

  it.each([
    { case: 'empty', name: '' },
    { case: 'only whitespace', name: ' \t ' },
    { case: 'a control character', name: 'bell\u0007' },
    { case: 'a line feed', name: 'two\nlines' },
  ])('display name with $case fails', async ({ name }) => {
    const response = await register({ username: uniqueUsername(), password: TEST_PASSWORD, displayName: name });

    expect(response.status).toBe(400);
    const body = await response.json<ErrorBody>();
    expect(body.error.code).toBe('display_name_invalid');
    expect(body.error.field).toBe('displayName');
  });

  it('rejects a body missing a field', async () => {
    const response = await callApi('/accounts', { method: 'POST', body: { username: uniqueUsername() } });

    expect(response.status).toBe(400);
    const body = await response.json<ErrorBody>();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.field).toBe('password');
    expect(body.error.message).toContain('password');
  });
});

function randomLetters(length: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let name = '';
  for (let i = 0; i < length; i++) name += letters[Math.floor(Math.random() * letters.length)];
  return name;
}

describe('registration race', () => {
  it('same name twice at once', async () => {
    const username = uniqueUsername();
    const body = { username, password: TEST_PASSWORD, displayName: 'Racer' };

    const responses = await Promise.all([register(body), register({ ...body, username: username.toUpperCase() })]);

    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
  });
});
