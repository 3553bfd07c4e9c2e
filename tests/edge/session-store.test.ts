import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { USER_AGENT_MAX_CHARS } from '../../edge/auth/open-session';
import { openDatabase } from '../../edge/db/client';
import { insertSessionStatement, revokeSessionsBeyondStatement, type SessionRow } from '../../edge/db/sessions';
import { callApi, registerUser, signIn } from './fixtures/accounts';
import type { SessionListResponse } from '../../protocol/api';

function desktopSession(userId: string, id: string, createdAt: number): SessionRow {
  return {
    id,
    userId,
    tokenHash: `hash-${id}`,
    deviceClass: 'desktop',
    userAgent: 'test',
    createdAt,
    lastSeenAt: createdAt,
    revokedAt: null,
    revokedReason: null,
  };
}

describe('session store', () => {
  it('revokes all but the newest N', async () => {
    const user = await registerUser();
    const db = openDatabase(env.DB);
    const prefix = crypto.randomUUID();
    // The registration's own session is the newest, and these three are older.
    for (const [suffix, createdAt] of [['a', 1000], ['b', 2000], ['c', 3000]] as const) {
      await insertSessionStatement(db, desktopSession(user.user.id, `${prefix}-${suffix}`, createdAt)).run();
    }

    const revoked = await revokeSessionsBeyondStatement(db, user.user.id, 'desktop', 2, Date.now()).all();

    expect(revoked.map((row) => row.id).sort()).toEqual([`${prefix}-a`, `${prefix}-b`]);
    const list = await (await callApi('/sessions', { token: user.token })).json<SessionListResponse>();
    expect(list.sessions.map((s) => s.id).sort()).toEqual([`${prefix}-c`, user.session.id].sort());
  });

  it('later insert wins a created_at tie', async () => {
    const user = await registerUser();
    const db = openDatabase(env.DB);
    const prefix = crypto.randomUUID();
    const future = Date.now() + 60_000;
    await insertSessionStatement(db, desktopSession(user.user.id, `${prefix}-first`, future)).run();
    await insertSessionStatement(db, desktopSession(user.user.id, `${prefix}-second`, future)).run();

    const revoked = await revokeSessionsBeyondStatement(db, user.user.id, 'desktop', 1, Date.now()).all();

    expect(revoked.map((row) => row.id).sort()).toEqual([`${prefix}-first`, user.session.id].sort());
  });
});

describe('user agent storage', () => {
  it.each([
    { case: 'at the limit', length: USER_AGENT_MAX_CHARS, stored: USER_AGENT_MAX_CHARS },
    { case: 'past the limit', length: USER_AGENT_MAX_CHARS + 1, stored: USER_AGENT_MAX_CHARS },
  ])('user agent $case', async ({ length, stored }) => {
    const user = await registerUser();
    const auth = await signIn(user.username, { userAgent: 'Mobile '.padEnd(length, 'x') });

    expect(auth.session.userAgent).toHaveLength(stored);
  });
});
