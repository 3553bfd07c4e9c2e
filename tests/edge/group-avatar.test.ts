import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../protocol/errors';
import type { GroupInfo } from '../../protocol/groups';
import { AVATAR_MAX_BYTES, HTTP_BODY_MAX_BYTES } from '../../protocol/limits';
import { DESKTOP_USER_AGENT, callApi, registerUser } from './fixtures/accounts';
import { addByInvite, createGroup, errorOf, groupCall, groupChanges, groupInfo, waitForInbox, type Actor } from './fixtures/groups';

/** Each test registers several accounts (PBKDF2 with 100,000 iterations each), which takes seconds on a busy machine. */
const GROUP_TEST_TIMEOUT_MS = 30_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const WEBP_SIGNATURE = [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50];
const GIF_SIGNATURE = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61];

/** Returns `size` bytes starting with `signature`; the server never decodes pixels, so the rest is filler. */
function imageBytes(signature: readonly number[], size = 64): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x2a);
  bytes.set(signature);
  return bytes;
}

function uploadGroupAvatar(actor: Actor | undefined, groupId: string, body: Uint8Array): Promise<Response> {
  const headers: Record<string, string> = { 'User-Agent': DESKTOP_USER_AGENT, 'Content-Type': 'application/octet-stream' };
  if (actor) headers.Authorization = `Bearer ${actor.token}`;
  return SELF.fetch(`http://localhost/api/v1/groups/${groupId}/avatar`, { method: 'PUT', headers, body });
}

function fetchAvatar(avatarKey: string | null): Promise<Response> {
  return SELF.fetch(`http://localhost/api/v1/${avatarKey ?? 'missing'}`);
}

describe('group avatar upload', { timeout: GROUP_TEST_TIMEOUT_MS }, () => {
  it('owner upload is stored and served', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const body = imageBytes(PNG_SIGNATURE);

    const response = await uploadGroupAvatar(owner, group.id, body);
    const info = await response.json<GroupInfo>();
    const served = await fetchAvatar(info.avatarKey);

    expect(response.status).toBe(200);
    expect(info.avatarKey?.startsWith(`group-avatars/${group.id}/`)).toBe(true);
    expect(served.status).toBe(200);
    expect(served.headers.get('Content-Type')).toBe('image/png');
    expect(served.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(body);
    expect((await groupInfo(owner, group.id)).avatarKey).toBe(info.avatarKey);
  });

  it('admin may upload', async () => {
    const owner = await registerUser();
    const admin = await registerUser();
    const group = await createGroup(owner);
    await addByInvite(owner, group.id, admin);
    expect((await groupCall(owner, `/groups/${group.id}/admins/${admin.user.id}`, 'PUT')).status).toBe(204);

    const response = await uploadGroupAvatar(admin, group.id, imageBytes(WEBP_SIGNATURE));

    expect(response.status).toBe(200);
  });

  it('plain member is forbidden', async () => {
    const owner = await registerUser();
    const member = await registerUser();
    const group = await createGroup(owner);
    await addByInvite(owner, group.id, member);

    const response = await uploadGroupAvatar(member, group.id, imageBytes(PNG_SIGNATURE));

    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('forbidden');
    expect((await groupInfo(owner, group.id)).avatarKey).toBeNull();
  });

  it('non-member gets not_a_member', async () => {
    const owner = await registerUser();
    const stranger = await registerUser();
    const group = await createGroup(owner);

    const response = await uploadGroupAvatar(stranger, group.id, imageBytes(PNG_SIGNATURE));

    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('not_a_member');
  });

  it('upload requires a token', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);

    expect((await uploadGroupAvatar(undefined, group.id, imageBytes(PNG_SIGNATURE))).status).toBe(401);
  });

  it('unknown group is not found', async () => {
    const owner = await registerUser();

    const response = await uploadGroupAvatar(owner, 'no-such-group', imageBytes(PNG_SIGNATURE));

    expect(response.status).toBe(404);
  });

  it('exactly the maximum size passes', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);

    const response = await uploadGroupAvatar(owner, group.id, imageBytes(PNG_SIGNATURE, AVATAR_MAX_BYTES));

    expect(response.status).toBe(200);
  });

  it('one byte past the maximum fails', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);

    const response = await uploadGroupAvatar(owner, group.id, imageBytes(PNG_SIGNATURE, AVATAR_MAX_BYTES + 1));

    expect(response.status).toBe(413);
    expect((await response.json<ErrorBody>()).error).toMatchObject({
      code: 'image_too_large',
      limit: AVATAR_MAX_BYTES,
      value: AVATAR_MAX_BYTES + 1,
    });
  });

  it.each([
    { name: 'GIF', body: imageBytes(GIF_SIGNATURE) },
    { name: 'HTML', body: new TextEncoder().encode('<html><script>alert(1)</script></html>') },
    { name: 'empty body', body: new Uint8Array() },
  ])('$name is rejected by type', async ({ body }) => {
    const owner = await registerUser();
    const group = await createGroup(owner);

    const response = await uploadGroupAvatar(owner, group.id, body);

    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('image_type_unsupported');
  });

  it('replacing deletes the old image', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const first = await (await uploadGroupAvatar(owner, group.id, imageBytes(PNG_SIGNATURE))).json<GroupInfo>();
    const second = await (await uploadGroupAvatar(owner, group.id, imageBytes(WEBP_SIGNATURE))).json<GroupInfo>();

    expect(second.avatarKey).not.toBe(first.avatarKey);
    expect((await fetchAvatar(first.avatarKey)).status).toBe(404);
    expect((await fetchAvatar(second.avatarKey)).status).toBe(200);
  });

  it('members get an info_changed change', async () => {
    const owner = await registerUser();
    const member = await registerUser();
    const group = await createGroup(owner);
    await addByInvite(owner, group.id, member);

    const info = await (await uploadGroupAvatar(owner, group.id, imageBytes(PNG_SIGNATURE))).json<GroupInfo>();
    const inbox = await waitForInbox(member, (events) => groupChanges(events, group.id).some((c) => c.type === 'info_changed'));

    expect(groupChanges(inbox, group.id)).toContainEqual({
      type: 'info_changed',
      by: owner.user.id,
      fields: { avatarKey: info.avatarKey },
    });
  });
});

describe('group avatar key in PATCH', { timeout: GROUP_TEST_TIMEOUT_MS }, () => {
  it('own group avatar key is accepted', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const uploaded = await (await uploadGroupAvatar(owner, group.id, imageBytes(PNG_SIGNATURE))).json<GroupInfo>();
    await groupCall(owner, `/groups/${group.id}`, 'PATCH', { avatarKey: null });

    const response = await groupCall(owner, `/groups/${group.id}`, 'PATCH', { avatarKey: uploaded.avatarKey });

    expect(response.status).toBe(200);
    expect((await response.json<GroupInfo>()).avatarKey).toBe(uploaded.avatarKey);
  });

  it("another group's avatar key is rejected", async () => {
    const owner = await registerUser();
    const first = await createGroup(owner);
    const second = await createGroup(owner);
    const uploaded = await (await uploadGroupAvatar(owner, first.id, imageBytes(PNG_SIGNATURE))).json<GroupInfo>();

    const response = await groupCall(owner, `/groups/${second.id}`, 'PATCH', { avatarKey: uploaded.avatarKey });

    expect(response.status).toBe(400);
    expect((await errorOf(response)).field).toBe('avatarKey');
  });

  it('group JSON routes keep their limit', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);

    const response = await callApi(`/groups/${group.id}`, {
      method: 'PATCH',
      token: owner.token,
      rawBody: JSON.stringify({ notice: 'x'.repeat(HTTP_BODY_MAX_BYTES) }),
    });

    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('payload_too_large');
  });

  it('malformed avatar path is not found', async () => {
    expect((await SELF.fetch('http://localhost/api/v1/group-avatars/..%2Fx/y')).status).toBe(404);
  });
});
