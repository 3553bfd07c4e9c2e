import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { OwnProfile, UserProfileView } from '../../protocol/api';
import type { ErrorBody } from '../../protocol/errors';
import { AVATAR_MAX_BYTES, HTTP_BODY_MAX_BYTES } from '../../protocol/limits';
import { DESKTOP_USER_AGENT, callApi, registerUser } from './fixtures/accounts';
import { block } from './fixtures/relations';

const SIGNATURES = {
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  webp: [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
  gif: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
};

/** Returns a body of `size` bytes starting with `signature`; the rest is filler, because the server never decodes pixels. */
function imageBytes(signature: readonly number[], size = 64): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x2a);
  bytes.set(signature);
  return bytes;
}

async function upload(token: string | undefined, body: Uint8Array, contentType = 'application/octet-stream'): Promise<Response> {
  const headers: Record<string, string> = { 'User-Agent': DESKTOP_USER_AGENT, 'Content-Type': contentType };
  if (token) headers.Authorization = `Bearer ${token}`;
  return SELF.fetch('http://localhost/api/v1/me/avatar', { method: 'PUT', headers, body });
}

async function fetchAvatar(url: string): Promise<Response> {
  return SELF.fetch(`http://localhost${url}`);
}

describe('avatar upload', () => {
  it.each([
    { name: 'PNG', signature: SIGNATURES.png, type: 'image/png' },
    { name: 'JPEG', signature: SIGNATURES.jpeg, type: 'image/jpeg' },
    { name: 'WebP', signature: SIGNATURES.webp, type: 'image/webp' },
  ])('$name is stored and served', async ({ signature, type }) => {
    const user = await registerUser();
    const body = imageBytes(signature);

    const response = await upload(user.token, body);
    const profile = await response.json<OwnProfile>();
    const served = await fetchAvatar(profile.avatarUrl ?? '');

    expect(response.status).toBe(200);
    expect(served.status).toBe(200);
    expect(served.headers.get('Content-Type')).toBe(type);
    expect(served.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(body);
  });

  it('type comes from content, not header', async () => {
    const user = await registerUser();

    const response = await upload(user.token, imageBytes(SIGNATURES.png), 'text/html');
    const served = await fetchAvatar((await response.json<OwnProfile>()).avatarUrl ?? '');

    expect(served.headers.get('Content-Type')).toBe('image/png');
  });

  it.each([
    { name: 'GIF', body: imageBytes(SIGNATURES.gif) },
    { name: 'HTML labelled PNG', body: new TextEncoder().encode('<html><script>alert(1)</script></html>') },
    { name: 'empty body', body: new Uint8Array() },
  ])('$name is rejected', async ({ body }) => {
    const user = await registerUser();
    const response = await upload(user.token, body, 'image/png');

    expect(response.status).toBe(415);
    expect((await response.json<ErrorBody>()).error.code).toBe('image_type_unsupported');
  });

  it('exactly the maximum size passes', async () => {
    const user = await registerUser();
    const response = await upload(user.token, imageBytes(SIGNATURES.jpeg, AVATAR_MAX_BYTES));

    expect(response.status).toBe(200);
  });

  it('one byte past the maximum fails', async () => {
    const user = await registerUser();
    const response = await upload(user.token, imageBytes(SIGNATURES.jpeg, AVATAR_MAX_BYTES + 1));

    expect(response.status).toBe(413);
    const body = await response.json<ErrorBody>();
    expect(body.error).toMatchObject({ code: 'image_too_large', limit: AVATAR_MAX_BYTES, value: AVATAR_MAX_BYTES + 1 });
  });

  it('JSON routes keep their own limit', async () => {
    const user = await registerUser();
    const response = await callApi('/me', {
      method: 'PATCH',
      token: user.token,
      rawBody: JSON.stringify({ bio: 'x'.repeat(HTTP_BODY_MAX_BYTES) }),
    });

    expect(response.status).toBe(413);
  });

  it('replacing deletes the old image', async () => {
    const user = await registerUser();
    const first = await (await upload(user.token, imageBytes(SIGNATURES.png))).json<OwnProfile>();
    const second = await (await upload(user.token, imageBytes(SIGNATURES.webp))).json<OwnProfile>();

    expect(second.avatarUrl).not.toBe(first.avatarUrl);
    expect((await fetchAvatar(first.avatarUrl ?? '')).status).toBe(404);
    expect((await fetchAvatar(second.avatarUrl ?? '')).status).toBe(200);
  });

  it('delete removes it', async () => {
    const user = await registerUser();
    const uploaded = await (await upload(user.token, imageBytes(SIGNATURES.png))).json<OwnProfile>();

    const response = await callApi('/me/avatar', { method: 'DELETE', token: user.token });

    expect(response.status).toBe(200);
    expect((await response.json<OwnProfile>()).avatarUrl).toBeUndefined();
    expect((await fetchAvatar(uploaded.avatarUrl ?? '')).status).toBe(404);
  });

  it('upload requires a token', async () => {
    expect((await upload(undefined, imageBytes(SIGNATURES.png))).status).toBe(401);
  });

  it('malformed avatar path is not found', async () => {
    expect((await fetchAvatar('/api/v1/avatars/..%2Fx/y')).status).toBe(404);
  });
});

describe('avatar on profiles', () => {
  it('others see the avatar URL', async () => {
    const owner = await registerUser();
    const viewer = await registerUser();
    const uploaded = await (await upload(owner.token, imageBytes(SIGNATURES.png))).json<OwnProfile>();

    const seen = await (await callApi(`/users/${owner.user.id}`, { token: viewer.token })).json<UserProfileView>();

    expect(seen.avatarUrl).toBe(uploaded.avatarUrl);
  });

  it('blocked viewer gets no avatar URL', async () => {
    const owner = await registerUser();
    const viewer = await registerUser();
    await upload(owner.token, imageBytes(SIGNATURES.png));
    await block(owner, viewer.user.id);

    const seen = await (await callApi(`/users/${owner.user.id}`, { token: viewer.token })).json<UserProfileView>();

    expect(seen.avatarUrl).toBeUndefined();
  });
});
