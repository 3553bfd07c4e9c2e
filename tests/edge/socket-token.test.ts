// Socket upgrades with signed session tokens: the signature names the user
// and the session without a D1 read, and the user's object refuses revoked
// sessions.

import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CLOSE_UNAUTHORIZED } from '../../protocol/frames';
import { issueSessionToken, verifySessionToken } from '../../edge/auth/session-token';
import { callApi, registerUser } from './fixtures/accounts';
import { connectSocket, openSocket } from './fixtures/sockets';

async function expectRefused(token: string): Promise<void> {
  const socket = await connectSocket(token);
  expect((await socket.nextFrameOf('error')).code).toBe('unauthorized');
  expect((await socket.closed).code).toBe(CLOSE_UNAUTHORIZED);
}

/** Replaces the `index`-th dot-separated part of a token. */
function withPart(token: string, index: number, value: string): string {
  const parts = token.split('.');
  parts[index] = value;
  return parts.join('.');
}

describe('signed session tokens', () => {
  it('upgrade needs no session row', async () => {
    const alice = await registerUser();
    // With the row's hash changed, D1 has no row for the token. HTTP rejects it, but the signature is still valid.
    await env.DB.prepare('UPDATE sessions SET token_hash = ? WHERE id = ?').bind('replaced', alice.session.id).run();

    expect((await callApi('/me', { token: alice.token })).status).toBe(401);
    const { welcome } = await openSocket(alice.token);
    expect(welcome).toMatchObject({ userId: alice.user.id, sessionId: alice.session.id });
  });

  it('altered signature is refused', async () => {
    const alice = await registerUser();
    const mac = alice.token.split('.')[4]!;
    const flipped = (mac[0] === 'A' ? 'B' : 'A') + mac.slice(1);

    await expectRefused(withPart(alice.token, 4, flipped));
  });

  it('other user id is refused', async () => {
    const alice = await registerUser();
    const bob = await registerUser();

    await expectRefused(withPart(alice.token, 2, bob.user.id));
  });

  it('signed-out session is refused', async () => {
    const alice = await registerUser();
    const signOut = await callApi('/sessions/current', { method: 'DELETE', token: alice.token });
    expect(signOut.status).toBe(204);

    await expectRefused(alice.token);
  });

  it('token without a key is random', async () => {
    const token = await issueSessionToken({ SECRETS_KEY: undefined }, { sessionId: 'session', userId: 'user' });

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await verifySessionToken(env, token)).toBeUndefined();
  });

  it('token verifies to its identity', async () => {
    const identity = { sessionId: 'c2Vzc2lvbg', userId: 'dXNlcg' };
    const token = await issueSessionToken(env, identity);

    expect(await verifySessionToken(env, token)).toEqual(identity);
    expect(await verifySessionToken({ SECRETS_KEY: undefined }, token)).toBeUndefined();
  });
});
