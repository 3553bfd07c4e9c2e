import { describe, expect, test } from 'vitest';
import type { GroupInfo } from '../../protocol/groups';
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
import { translate } from '../../web/app/i18n/translate';
import { memberName } from '../../web/app/state/group-admin-actions';
import { couldBeGroupId, mergeGroupResults } from '../../web/app/state/group-admin-search';
import {
  checkGroupCreateForm,
  fieldErrorFromServer,
  parseMemberLimit,
  validateApplicationMessage,
  validateGroupName,
  validateNickname,
  validateNotice,
  type GroupCreateForm,
} from '../../web/app/state/group-admin-validation';
import type { CachedProfile } from '../../web/app/store/db';
import { memberActions, NO_ACTIONS } from '../../web/app/ui/groups/member-permissions';

const VALID_FORM: GroupCreateForm = {
  name: '飞鸽同学会',
  introduction: '',
  joinPolicy: 'approval',
  memberLimit: String(GROUP_MEMBERS_DEFAULT),
  membersCanInvite: true,
  historyVisible: false,
};

describe('group create form', () => {
  test('valid form becomes request', () => {
    const checked = checkGroupCreateForm({ ...VALID_FORM, name: '  飞鸽同学会  ', joinPolicy: 'open', historyVisible: true });

    expect(checked).toEqual({
      ok: true,
      request: {
        name: '飞鸽同学会',
        introduction: '',
        joinPolicy: 'open',
        memberLimit: GROUP_MEMBERS_DEFAULT,
        membersCanInvite: true,
        historyVisible: true,
      },
    });
  });

  test('name limit at and past edge', () => {
    expect(validateGroupName('群'.repeat(GROUP_NAME_MAX_CHARS))).toBeNull();
    expect(validateGroupName('群'.repeat(GROUP_NAME_MAX_CHARS + 1))).toEqual({
      kind: 'tooLong',
      field: 'name',
      limit: GROUP_NAME_MAX_CHARS,
      value: GROUP_NAME_MAX_CHARS + 1,
    });
  });

  test('blank name is empty', () => {
    expect(validateGroupName('   ')).toEqual({ kind: 'empty', field: 'name' });
  });

  test('introduction limit at and past edge', () => {
    const atLimit = checkGroupCreateForm({ ...VALID_FORM, introduction: '介'.repeat(GROUP_INTRODUCTION_MAX_CHARS) });
    const past = checkGroupCreateForm({ ...VALID_FORM, introduction: '介'.repeat(GROUP_INTRODUCTION_MAX_CHARS + 1) });

    expect(atLimit.ok).toBe(true);
    expect(past).toEqual({
      ok: false,
      errors: [{ kind: 'tooLong', field: 'introduction', limit: GROUP_INTRODUCTION_MAX_CHARS, value: GROUP_INTRODUCTION_MAX_CHARS + 1 }],
    });
  });

  test('member limit at and past maximum', () => {
    expect(parseMemberLimit(String(GROUP_MEMBERS_MAX))).toEqual({ ok: true, value: GROUP_MEMBERS_MAX });
    expect(parseMemberLimit(String(GROUP_MEMBERS_MAX + 1))).toEqual({
      ok: false,
      error: { kind: 'tooLarge', field: 'memberLimit', limit: GROUP_MEMBERS_MAX, value: GROUP_MEMBERS_MAX + 1 },
    });
  });

  test('member limit at and below minimum', () => {
    expect(parseMemberLimit(String(GROUP_MEMBERS_MIN))).toEqual({ ok: true, value: GROUP_MEMBERS_MIN });
    expect(parseMemberLimit(String(GROUP_MEMBERS_MIN - 1))).toEqual({
      ok: false,
      error: { kind: 'tooSmall', field: 'memberLimit', limit: GROUP_MEMBERS_MIN, value: GROUP_MEMBERS_MIN - 1 },
    });
  });

  test.each(['', '12.5', '-3', 'abc', '1e3'])('member limit %j is not a number', (text) => {
    expect(parseMemberLimit(text)).toEqual({ ok: false, error: { kind: 'notInteger', field: 'memberLimit', text } });
  });

  test('every broken field is reported', () => {
    const checked = checkGroupCreateForm({ ...VALID_FORM, name: '', memberLimit: String(GROUP_MEMBERS_MAX + 1) });

    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : checked.errors.map((error) => error.field)).toEqual(['name', 'memberLimit']);
  });
});

describe('group text limits', () => {
  test('notice at and past edge', () => {
    expect(validateNotice('告'.repeat(GROUP_NOTICE_MAX_CHARS))).toBeNull();
    expect(validateNotice('告'.repeat(GROUP_NOTICE_MAX_CHARS + 1))).toMatchObject({ limit: GROUP_NOTICE_MAX_CHARS, value: GROUP_NOTICE_MAX_CHARS + 1 });
  });

  test('nickname at and past edge', () => {
    expect(validateNickname('昵'.repeat(GROUP_NICKNAME_MAX_CHARS))).toBeNull();
    expect(validateNickname('昵'.repeat(GROUP_NICKNAME_MAX_CHARS + 1))).toMatchObject({
      limit: GROUP_NICKNAME_MAX_CHARS,
      value: GROUP_NICKNAME_MAX_CHARS + 1,
    });
  });

  test('application message at and past edge', () => {
    expect(validateApplicationMessage('申'.repeat(GROUP_APPLICATION_MESSAGE_MAX_CHARS))).toBeNull();
    expect(validateApplicationMessage('申'.repeat(GROUP_APPLICATION_MESSAGE_MAX_CHARS + 1))).toMatchObject({
      field: 'message',
      limit: GROUP_APPLICATION_MESSAGE_MAX_CHARS,
    });
  });

  test('emoji count as one character', () => {
    expect(validateGroupName('🕊'.repeat(GROUP_NAME_MAX_CHARS))).toBeNull();
  });
});

describe('server field errors', () => {
  test('too long notice maps to field error', () => {
    const details = { code: 'invalid_request' as const, field: 'notice', limit: GROUP_NOTICE_MAX_CHARS, value: 1_001 };

    expect(fieldErrorFromServer(details)).toEqual({ kind: 'tooLong', field: 'notice', limit: GROUP_NOTICE_MAX_CHARS, value: 1_001 });
  });

  test('member limit bounds map by side', () => {
    const over = { code: 'invalid_request' as const, field: 'memberLimit', limit: GROUP_MEMBERS_MAX, value: 5_000 };
    const under = { code: 'invalid_request' as const, field: 'memberLimit', limit: GROUP_MEMBERS_MIN, value: 1 };

    expect(fieldErrorFromServer(over)?.kind).toBe('tooLarge');
    expect(fieldErrorFromServer(under)?.kind).toBe('tooSmall');
  });

  test('empty name maps to empty', () => {
    expect(fieldErrorFromServer({ code: 'invalid_request', field: 'name', limit: GROUP_NAME_MAX_CHARS, value: 0 })).toEqual({
      kind: 'empty',
      field: 'name',
    });
  });

  test('other errors are left alone', () => {
    expect(fieldErrorFromServer({ code: 'already_handled' })).toBeNull();
    expect(fieldErrorFromServer({ code: 'invalid_request', field: 'avatarKey' })).toBeNull();
  });
});

describe('group error messages', () => {
  test('too long names value and limit', () => {
    const english = translate('en', 'groupAdmin.error.tooLarge', { field: 'Member limit', limit: GROUP_MEMBERS_MAX, value: 2_001 });
    const chinese = translate('zh-CN', 'groupAdmin.error.tooLarge', { field: '人数上限', limit: GROUP_MEMBERS_MAX, value: 2_001 });

    expect(english).toBe('Member limit is 2,001; the maximum is 2,000.');
    expect(chinese).toBe('人数上限填写了 2,001，最大允许 2,000。');
  });
});

describe('member actions by role', () => {
  test('owner manages admins and members', () => {
    expect(memberActions('owner', false, 'member')).toEqual({ kick: true, makeAdmin: true, removeAdmin: false, transfer: true });
    expect(memberActions('owner', false, 'admin')).toEqual({ kick: true, makeAdmin: false, removeAdmin: true, transfer: true });
  });

  test('admin kicks only members', () => {
    expect(memberActions('admin', false, 'member')).toEqual({ ...NO_ACTIONS, kick: true });
    expect(memberActions('admin', false, 'admin')).toEqual(NO_ACTIONS);
    expect(memberActions('admin', false, 'owner')).toEqual(NO_ACTIONS);
  });

  test('members and self get nothing', () => {
    expect(memberActions('member', false, 'member')).toEqual(NO_ACTIONS);
    expect(memberActions('owner', true, 'owner')).toEqual(NO_ACTIONS);
    expect(memberActions(null, false, 'member')).toEqual(NO_ACTIONS);
  });
});

describe('member names and search merge', () => {
  const profile = { id: 'u1', username: 'zhang', displayName: '张伟', bio: '', usernameKey: 'zhang', fetchedAt: 0 } as CachedProfile;

  test('nickname wins over display name', () => {
    expect(memberName({ userId: 'u1', nickname: '小张' }, profile)).toBe('小张');
    expect(memberName({ userId: 'u1', nickname: '' }, profile)).toBe('张伟');
    expect(memberName({ userId: 'u1', nickname: '' }, undefined)).toBe('u1');
  });

  test('id match comes first once', () => {
    const byId = { id: 'g1', name: '飞鸽', memberCount: 3, avatarKey: 'group-avatars/g1/a' } as GroupInfo;
    const byName = [
      { id: 'g2', name: '飞鸽二群', memberCount: 9 },
      { id: 'g1', name: '飞鸽', memberCount: 3 },
    ];

    expect(mergeGroupResults(byId, byName).map((group) => group.id)).toEqual(['g1', 'g2']);
    expect(mergeGroupResults(null, byName)).toHaveLength(2);
  });

  test('only base64url text can be an id', () => {
    expect(couldBeGroupId('l3S1HDjwY9rG62HJsZ33eA')).toBe(true);
    expect(couldBeGroupId('飞鸽')).toBe(false);
    expect(couldBeGroupId('a b')).toBe(false);
  });
});
