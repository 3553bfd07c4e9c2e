import { describe, expect, it } from 'vitest';
import type { GroupApplicationListResponse, GroupInfo, GroupListResponse, GroupMemberListResponse, JoinResult } from '../../protocol/groups';
import {
  GROUP_APPLICATION_MESSAGE_MAX_CHARS,
  GROUP_INTRODUCTION_MAX_CHARS,
  GROUP_MEMBERS_DEFAULT,
  GROUP_MEMBERS_MAX,
  GROUP_MEMBERS_MIN,
  GROUP_NAME_MAX_CHARS,
  GROUP_NICKNAME_MAX_CHARS,
  GROUP_NOTICE_MAX_CHARS,
} from '../../protocol/limits';
import { registerUser } from './fixtures/accounts';
import {
  addByInvite,
  addMembers,
  createGroup,
  errorOf,
  groupCall,
  groupChanges,
  groupInfo,
  waitForInbox,
} from './fixtures/groups';

/** Each test registers several accounts (PBKDF2 with 100,000 iterations each), which takes seconds on a busy machine. */
const GROUP_TEST_TIMEOUT_MS = 30_000;

describe('group create', { timeout: GROUP_TEST_TIMEOUT_MS }, () => {
  it('creator becomes owner with defaults', async () => {
    const owner = await registerUser();
    const info = await createGroup(owner, { name: '  飞鸽同学会  ' });

    expect(info.name).toBe('飞鸽同学会');
    expect(info.myRole).toBe('owner');
    expect(info.ownerId).toBe(owner.user.id);
    expect(info.memberCount).toBe(1);
    expect(info.memberLimit).toBe(GROUP_MEMBERS_DEFAULT);
    expect(info.joinPolicy).toBe('approval');
    expect(info.delivery).toBe('inbox');
    expect(info.encryption).toBe('end_to_end');
  });

  it('name limit at and past edge', async () => {
    const owner = await registerUser();
    const atLimit = await createGroup(owner, { name: '群'.repeat(GROUP_NAME_MAX_CHARS) });
    const past = await groupCall(owner, '/groups', 'POST', { name: '群'.repeat(GROUP_NAME_MAX_CHARS + 1) });

    expect(atLimit.name).toHaveLength(GROUP_NAME_MAX_CHARS);
    expect(past.status).toBe(400);
    const error = await errorOf(past);
    expect(error.field).toBe('name');
    expect(error.limit).toBe(GROUP_NAME_MAX_CHARS);
    expect(error.value).toBe(GROUP_NAME_MAX_CHARS + 1);
  });

  it('introduction limit at and past edge', async () => {
    const owner = await registerUser();
    const ok = await groupCall(owner, '/groups', 'POST', { name: 'g', introduction: 'x'.repeat(GROUP_INTRODUCTION_MAX_CHARS) });
    const past = await groupCall(owner, '/groups', 'POST', { name: 'g', introduction: 'x'.repeat(GROUP_INTRODUCTION_MAX_CHARS + 1) });

    expect(ok.status).toBe(201);
    expect(past.status).toBe(400);
    expect((await errorOf(past)).limit).toBe(GROUP_INTRODUCTION_MAX_CHARS);
  });

  it('member limit at and past edges', async () => {
    const owner = await registerUser();
    const largest = await createGroup(owner, { memberLimit: GROUP_MEMBERS_MAX });
    const smallest = await createGroup(owner, { memberLimit: GROUP_MEMBERS_MIN });
    const tooLarge = await groupCall(owner, '/groups', 'POST', { name: 'g', memberLimit: GROUP_MEMBERS_MAX + 1 });
    const tooSmall = await groupCall(owner, '/groups', 'POST', { name: 'g', memberLimit: GROUP_MEMBERS_MIN - 1 });

    expect(largest.delivery).toBe('pull');
    expect(largest.encryption).toBe('transport');
    expect(smallest.memberLimit).toBe(GROUP_MEMBERS_MIN);
    expect(tooLarge.status).toBe(400);
    expect(await errorOf(tooLarge)).toMatchObject({ field: 'memberLimit', limit: GROUP_MEMBERS_MAX, value: GROUP_MEMBERS_MAX + 1 });
    expect(tooSmall.status).toBe(400);
    expect((await errorOf(tooSmall)).limit).toBe(GROUP_MEMBERS_MIN);
  });

  it('full group rejects next join', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner, { memberLimit: GROUP_MEMBERS_MIN, joinPolicy: 'open' });
    const second = await registerUser();
    const third = await registerUser();

    const joined = await groupCall(second, `/groups/${group.id}/applications`, 'POST', {});
    const rejected = await groupCall(third, `/groups/${group.id}/applications`, 'POST', {});

    expect(joined.status).toBe(200);
    expect(rejected.status).toBe(409);
    expect(await errorOf(rejected)).toMatchObject({ code: 'group_full', limit: GROUP_MEMBERS_MIN });
  });

  it('lists and searches groups', async () => {
    const owner = await registerUser();
    const marker = `Lyon${crypto.randomUUID().slice(0, 8)}`;
    const group = await createGroup(owner, { name: `${marker} 50%_club` });

    const mine = await (await groupCall(owner, '/me/groups', 'GET')).json<GroupListResponse>();
    const found = await (await groupCall(owner, `/groups/search?q=${encodeURIComponent(`${marker} 50%`)}`, 'GET')).json<GroupListResponse>();
    const wildcard = await (await groupCall(owner, `/groups/search?q=${encodeURIComponent(`${marker}%club`)}`, 'GET')).json<GroupListResponse>();

    expect(mine.groups.map((g) => g.id)).toContain(group.id);
    expect(found.groups.map((g) => g.id)).toEqual([group.id]);
    expect(wildcard.groups).toEqual([]);
  });
});

describe('group join', { timeout: GROUP_TEST_TIMEOUT_MS }, () => {
  it('approval applicant waits for admin', async () => {
    const owner = await registerUser();
    const applicant = await registerUser();
    const group = await createGroup(owner, { joinPolicy: 'approval' });

    const applied = await groupCall(applicant, `/groups/${group.id}/applications`, 'POST', { message: '我是 Bob' });
    expect(applied.status).toBe(202);
    const pending = await applied.json<JoinResult>();
    if (pending.status !== 'pending') throw new Error('expected a pending application');

    const list = await (await groupCall(owner, `/groups/${group.id}/applications`, 'GET')).json<GroupApplicationListResponse>();
    expect(list.applications.map((a) => a.applicantId)).toEqual([applicant.user.id]);
    const waiting = await groupInfo(applicant, group.id);
    expect(waiting.myRole).toBeNull();
    expect(waiting.myApplicationId).toBe(pending.applicationId);
    expect((await groupInfo(owner, group.id)).myApplicationId).toBeNull();

    const approved = await groupCall(owner, `/groups/${group.id}/applications/${pending.applicationId}/approve`);
    expect(approved.status).toBe(204);
    const joined = await groupInfo(applicant, group.id);
    expect(joined.myRole).toBe('member');
    expect(joined.myApplicationId).toBeNull();

    const ownerInbox = await waitForInbox(owner, (events) => groupChanges(events, group.id).some((c) => c.type === 'application'));
    const application = groupChanges(ownerInbox, group.id).find((c) => c.type === 'application');
    expect(application).toMatchObject({ applicantId: applicant.user.id, message: '我是 Bob' });

    const applicantInbox = await waitForInbox(applicant, (events) =>
      groupChanges(events, group.id).some((c) => c.type === 'application_result'),
    );
    expect(groupChanges(applicantInbox, group.id)).toContainEqual({
      type: 'application_result',
      applicationId: pending.applicationId,
      approved: true,
      by: owner.user.id,
    });
  });

  it('application message at and past edge', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner, { joinPolicy: 'approval' });
    const atLimit = await groupCall(await registerUser(), `/groups/${group.id}/applications`, 'POST', {
      message: 'm'.repeat(GROUP_APPLICATION_MESSAGE_MAX_CHARS),
    });
    const past = await groupCall(await registerUser(), `/groups/${group.id}/applications`, 'POST', {
      message: 'm'.repeat(GROUP_APPLICATION_MESSAGE_MAX_CHARS + 1),
    });

    expect(atLimit.status).toBe(202);
    expect(past.status).toBe(400);
    expect((await errorOf(past)).limit).toBe(GROUP_APPLICATION_MESSAGE_MAX_CHARS);
  });

  it('rejected applicant stays outside', async () => {
    const owner = await registerUser();
    const applicant = await registerUser();
    const group = await createGroup(owner, { joinPolicy: 'approval' });
    const pending = await (await groupCall(applicant, `/groups/${group.id}/applications`, 'POST', {})).json<JoinResult>();
    if (pending.status !== 'pending') throw new Error('expected a pending application');

    const rejected = await groupCall(owner, `/groups/${group.id}/applications/${pending.applicationId}/reject`);

    expect(rejected.status).toBe(204);
    expect((await groupInfo(applicant, group.id)).myRole).toBeNull();
  });

  it('invite only rejects applications', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner, { joinPolicy: 'invite_only' });

    const applied = await groupCall(await registerUser(), `/groups/${group.id}/applications`, 'POST', {});

    expect(applied.status).toBe(403);
  });

  it('member invite obeys group switch', async () => {
    const owner = await registerUser();
    const member = await registerUser();
    const group = await createGroup(owner, { joinPolicy: 'invite_only', membersCanInvite: false });
    await addByInvite(owner, group.id, member);

    const invited = await groupCall(member, `/groups/${group.id}/invitations`, 'POST', { userId: (await registerUser()).user.id });

    expect(invited.status).toBe(403);
  });

  it('member invite under approval pends', async () => {
    const owner = await registerUser();
    const member = await registerUser();
    const invitee = await registerUser();
    const group = await createGroup(owner, { joinPolicy: 'approval', membersCanInvite: true });
    await addByInvite(owner, group.id, member);

    const invited = await groupCall(member, `/groups/${group.id}/invitations`, 'POST', { userId: invitee.user.id });

    expect(invited.status).toBe(202);
    const list = await (await groupCall(owner, `/groups/${group.id}/applications`, 'GET')).json<GroupApplicationListResponse>();
    expect(list.applications).toMatchObject([{ applicantId: invitee.user.id, inviterId: member.user.id }]);
  });

  it('outsider cannot see applications', async () => {
    const owner = await registerUser();
    const member = await registerUser();
    const group = await createGroup(owner);
    await addByInvite(owner, group.id, member);

    const asMember = await groupCall(member, `/groups/${group.id}/applications`, 'GET');
    const asOutsider = await groupCall(await registerUser(), `/groups/${group.id}/applications`, 'GET');

    expect(asMember.status).toBe(403);
    expect(asOutsider.status).toBe(403);
    expect((await errorOf(asOutsider)).code).toBe('not_a_member');
  });
});

describe('group roles', { timeout: GROUP_TEST_TIMEOUT_MS }, () => {
  it('kick permissions follow roles', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [admin, otherAdmin, member, target] = await addMembers(owner, group.id, 4);
    await groupCall(owner, `/groups/${group.id}/admins/${admin.user.id}`, 'PUT');
    await groupCall(owner, `/groups/${group.id}/admins/${otherAdmin.user.id}`, 'PUT');

    const memberKicks = await groupCall(member, `/groups/${group.id}/members/${target.user.id}`, 'DELETE');
    const adminKicksAdmin = await groupCall(admin, `/groups/${group.id}/members/${otherAdmin.user.id}`, 'DELETE');
    const adminKicksOwner = await groupCall(admin, `/groups/${group.id}/members/${owner.user.id}`, 'DELETE');
    const outsiderKicks = await groupCall(await registerUser(), `/groups/${group.id}/members/${target.user.id}`, 'DELETE');
    const adminKicksMember = await groupCall(admin, `/groups/${group.id}/members/${target.user.id}`, 'DELETE');
    const ownerKicksAdmin = await groupCall(owner, `/groups/${group.id}/members/${otherAdmin.user.id}`, 'DELETE');

    expect(memberKicks.status).toBe(403);
    expect(adminKicksAdmin.status).toBe(403);
    expect(adminKicksOwner.status).toBe(403);
    expect(outsiderKicks.status).toBe(403);
    expect(adminKicksMember.status).toBe(204);
    expect(ownerKicksAdmin.status).toBe(204);
    expect((await groupInfo(owner, group.id)).memberCount).toBe(3);
  });

  it('removed member loses member rights', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [removed] = await addMembers(owner, group.id, 1);
    await groupCall(owner, `/groups/${group.id}/members/${removed.user.id}`, 'DELETE');

    const members = await groupCall(removed, `/groups/${group.id}/members`, 'GET');
    const leave = await groupCall(removed, `/groups/${group.id}/members/me`, 'DELETE');

    expect(members.status).toBe(403);
    expect((await errorOf(members)).code).toBe('not_a_member');
    expect(leave.status).toBe(403);
    const inbox = await waitForInbox(removed, (events) => groupChanges(events, group.id).some((c) => c.type === 'kicked'));
    expect(groupChanges(inbox, group.id)).toContainEqual({ type: 'kicked', userId: removed.user.id, by: owner.user.id });
  });

  it('only owner appoints admins', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [admin, member] = await addMembers(owner, group.id, 2);
    await groupCall(owner, `/groups/${group.id}/admins/${admin.user.id}`, 'PUT');

    const byAdmin = await groupCall(admin, `/groups/${group.id}/admins/${member.user.id}`, 'PUT');
    const removal = await groupCall(owner, `/groups/${group.id}/admins/${admin.user.id}`, 'DELETE');

    expect(byAdmin.status).toBe(403);
    expect(removal.status).toBe(204);
    expect((await groupInfo(admin, group.id)).myRole).toBe('member');
  });

  it('owner leaves after transfer', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [heir] = await addMembers(owner, group.id, 1);

    const early = await groupCall(owner, `/groups/${group.id}/members/me`, 'DELETE');
    const transfer = await groupCall(owner, `/groups/${group.id}/owner`, 'POST', { userId: heir.user.id });
    const leave = await groupCall(owner, `/groups/${group.id}/members/me`, 'DELETE');

    expect(early.status).toBe(409);
    expect((await errorOf(early)).code).toBe('owner_must_transfer');
    expect(transfer.status).toBe(204);
    expect(leave.status).toBe(204);
    const info = await groupInfo(heir, group.id);
    expect(info.ownerId).toBe(heir.user.id);
    expect(info.myRole).toBe('owner');
    expect(info.memberCount).toBe(1);
  });

  it('member list pages by role', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const members = await addMembers(owner, group.id, 4);
    await groupCall(owner, `/groups/${group.id}/admins/${members[2].user.id}`, 'PUT');
    await groupCall(members[0], `/groups/${group.id}/members/me`, 'PATCH', { nickname: '小明' });

    const first = await (await groupCall(members[1], `/groups/${group.id}/members?limit=2`, 'GET')).json<GroupMemberListResponse>();
    const second = await (
      await groupCall(members[1], `/groups/${group.id}/members?limit=3&cursor=${first.nextCursor}`, 'GET')
    ).json<GroupMemberListResponse>();

    expect(first.members.map((m) => [m.userId, m.role])).toEqual([
      [owner.user.id, 'owner'],
      [members[2].user.id, 'admin'],
    ]);
    expect(second.members.map((m) => m.userId)).toEqual([members[0].user.id, members[1].user.id, members[3].user.id]);
    expect(second.members[0].nickname).toBe('小明');
    expect(second.nextCursor).toBeNull();
  });

  it('nickname at and past edge', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);

    const ok = await groupCall(owner, `/groups/${group.id}/members/me`, 'PATCH', { nickname: 'n'.repeat(GROUP_NICKNAME_MAX_CHARS) });
    const past = await groupCall(owner, `/groups/${group.id}/members/me`, 'PATCH', { nickname: 'n'.repeat(GROUP_NICKNAME_MAX_CHARS + 1) });

    expect(ok.status).toBe(204);
    expect(past.status).toBe(400);
    expect((await errorOf(past)).limit).toBe(GROUP_NICKNAME_MAX_CHARS);
  });
});

describe('group info', { timeout: GROUP_TEST_TIMEOUT_MS }, () => {
  it('admin update reaches members', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [admin, member] = await addMembers(owner, group.id, 2);
    await groupCall(owner, `/groups/${group.id}/admins/${admin.user.id}`, 'PUT');

    const byMember = await groupCall(member, `/groups/${group.id}`, 'PATCH', { name: 'nope' });
    const byAdmin = await groupCall(admin, `/groups/${group.id}`, 'PATCH', { name: '新名字', notice: '周五聚餐' });

    expect(byMember.status).toBe(403);
    expect(byAdmin.status).toBe(200);
    expect(await byAdmin.json<GroupInfo>()).toMatchObject({ name: '新名字', notice: '周五聚餐', myRole: 'admin' });
    const inbox = await waitForInbox(member, (events) => groupChanges(events, group.id).some((c) => c.type === 'info_changed'));
    expect(groupChanges(inbox, group.id)).toContainEqual({
      type: 'info_changed',
      by: admin.user.id,
      fields: { name: '新名字', notice: '周五聚餐' },
    });
  });

  it('notice at and past edge', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);

    const ok = await groupCall(owner, `/groups/${group.id}`, 'PATCH', { notice: 'n'.repeat(GROUP_NOTICE_MAX_CHARS) });
    const past = await groupCall(owner, `/groups/${group.id}`, 'PATCH', { notice: 'n'.repeat(GROUP_NOTICE_MAX_CHARS + 1) });

    expect(ok.status).toBe(200);
    expect(past.status).toBe(400);
    expect(await errorOf(past)).toMatchObject({ field: 'notice', limit: GROUP_NOTICE_MAX_CHARS, value: GROUP_NOTICE_MAX_CHARS + 1 });
  });

  it('only owner dissolves', async () => {
    const owner = await registerUser();
    const group = await createGroup(owner);
    const [admin, member] = await addMembers(owner, group.id, 2);
    await groupCall(owner, `/groups/${group.id}/admins/${admin.user.id}`, 'PUT');

    const byAdmin = await groupCall(admin, `/groups/${group.id}`, 'DELETE');
    const byOwner = await groupCall(owner, `/groups/${group.id}`, 'DELETE');
    const after = await groupCall(member, `/groups/${group.id}`, 'GET');

    expect(byAdmin.status).toBe(403);
    expect(byOwner.status).toBe(204);
    expect(after.status).toBe(404);
    const mine = await (await groupCall(member, '/me/groups', 'GET')).json<GroupListResponse>();
    expect(mine.groups.map((g) => g.id)).not.toContain(group.id);
    const inbox = await waitForInbox(member, (events) => groupChanges(events, group.id).some((c) => c.type === 'dissolved'));
    expect(groupChanges(inbox, group.id)).toContainEqual({ type: 'dissolved', by: owner.user.id });
  });
});
