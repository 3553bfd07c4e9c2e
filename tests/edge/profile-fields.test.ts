import { describe, expect, it } from 'vitest';
import type { OwnProfile, UserProfileView } from '../../protocol/api';
import type { ErrorBody } from '../../protocol/errors';
import { REGION_MAX_CHARS } from '../../protocol/limits';
import { callApi, registerUser } from './fixtures/accounts';

async function patch(token: string, body: unknown): Promise<Response> {
  return callApi('/me', { method: 'PATCH', token, body });
}

describe('gender and region', () => {
  it('set, shown to others, cleared', async () => {
    const user = await registerUser();
    const viewer = await registerUser();

    const set = await patch(user.token, { gender: 'other', region: ' 杭州 ' });
    const seen = await (await callApi(`/users/${user.user.id}`, { token: viewer.token })).json<UserProfileView>();
    const cleared = await patch(user.token, { gender: null, region: '' });

    expect(set.status).toBe(200);
    expect(await set.json<OwnProfile>()).toMatchObject({ gender: 'other', region: '杭州' });
    expect(seen).toMatchObject({ gender: 'other', region: '杭州' });
    const after = await cleared.json<OwnProfile>();
    expect(after.gender).toBeUndefined();
    expect(after.region).toBeUndefined();
  });

  it('unknown gender fails', async () => {
    const user = await registerUser();
    const response = await patch(user.token, { gender: 'robot' });

    expect(response.status).toBe(400);
    expect((await response.json<ErrorBody>()).error).toMatchObject({ code: 'invalid_request', field: 'gender' });
  });

  it.each([
    { case: 'the maximum', length: REGION_MAX_CHARS, status: 200 },
    { case: 'one past the maximum', length: REGION_MAX_CHARS + 1, status: 400 },
  ])('region at $case', async ({ length, status }) => {
    const user = await registerUser();
    const response = await patch(user.token, { region: '沪'.repeat(length) });

    expect(response.status).toBe(status);
    if (status === 400) {
      expect((await response.json<ErrorBody>()).error).toMatchObject({
        code: 'region_too_long',
        limit: REGION_MAX_CHARS,
        value: REGION_MAX_CHARS + 1,
      });
    }
  });

  it('other fields stay when one changes', async () => {
    const user = await registerUser({ displayName: 'Keep' });
    await patch(user.token, { bio: 'kept bio', region: 'Lyon' });

    const response = await patch(user.token, { gender: 'female' });

    expect(await response.json<OwnProfile>()).toMatchObject({ displayName: 'Keep', bio: 'kept bio', region: 'Lyon', gender: 'female' });
  });
});
