// Checks of group text fields and numbers against their limits. Each failure
// is a 400 `invalid_request` that names the field, the limit and the value.

import {
  GROUP_APPLICATION_MESSAGE_MAX_CHARS,
  GROUP_INTRODUCTION_MAX_CHARS,
  GROUP_MEMBERS_DEFAULT,
  GROUP_MEMBERS_MAX,
  GROUP_MEMBERS_MIN,
  GROUP_NAME_MAX_CHARS,
  GROUP_NICKNAME_MAX_CHARS,
  GROUP_NOTICE_MAX_CHARS,
  countChars,
} from '../../protocol/limits';
import type { GroupInfoFields } from '../../protocol/groups';
import { ApiError } from '../http/api-error';

/** Returns the trimmed name; it must have 1 to GROUP_NAME_MAX_CHARS code points. */
export function checkGroupName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) {
    throw new ApiError(400, 'invalid_request', 'name is empty; a group needs a name.', { field: 'name', limit: GROUP_NAME_MAX_CHARS, value: 0 });
  }
  return checkChars('name', trimmed, GROUP_NAME_MAX_CHARS);
}

/** Returns `value` when it has at most `max` code points. */
export function checkChars(field: string, value: string, max: number): string {
  const chars = countChars(value);
  if (chars <= max) return value;
  throw new ApiError(400, 'invalid_request', `${field} has ${chars} characters; the maximum is ${max}.`, { field, limit: max, value: chars });
}

/** Returns the member limit: GROUP_MEMBERS_DEFAULT when absent, else GROUP_MEMBERS_MIN to GROUP_MEMBERS_MAX. */
export function checkMemberLimit(requested: number | undefined): number {
  if (requested === undefined) return GROUP_MEMBERS_DEFAULT;
  if (requested >= GROUP_MEMBERS_MIN && requested <= GROUP_MEMBERS_MAX) return requested;

  const bound = requested > GROUP_MEMBERS_MAX ? `the maximum is ${GROUP_MEMBERS_MAX}` : `the minimum is ${GROUP_MEMBERS_MIN}`;
  throw new ApiError(400, 'invalid_request', `memberLimit is ${requested}; ${bound}.`, {
    field: 'memberLimit',
    limit: requested > GROUP_MEMBERS_MAX ? GROUP_MEMBERS_MAX : GROUP_MEMBERS_MIN,
    value: requested,
  });
}

/** Checks the text fields of an update and returns them with the name trimmed. */
export function checkInfoFields(fields: GroupInfoFields): GroupInfoFields {
  const checked: GroupInfoFields = { ...fields };
  if (fields.name !== undefined) checked.name = checkGroupName(fields.name);
  if (fields.introduction !== undefined) checkChars('introduction', fields.introduction, GROUP_INTRODUCTION_MAX_CHARS);
  if (fields.notice !== undefined) checkChars('notice', fields.notice, GROUP_NOTICE_MAX_CHARS);
  return checked;
}

export function checkApplicationMessage(message: string | undefined): string {
  return checkChars('message', message ?? '', GROUP_APPLICATION_MESSAGE_MAX_CHARS);
}

export function checkNickname(nickname: string): string {
  return checkChars('nickname', nickname.trim(), GROUP_NICKNAME_MAX_CHARS);
}
