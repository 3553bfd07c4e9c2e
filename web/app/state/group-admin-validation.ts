// Client-side checks of the group limits the edge enforces (protocol/limits.ts),
// run before a request so the form names the field, the value and the limit
// in the user's language at once. Pure, so unit tests call them directly.

import type { CreateGroupRequest, JoinPolicy } from '../../../protocol/groups';
import {
  GROUP_APPLICATION_MESSAGE_MAX_CHARS,
  GROUP_INTRODUCTION_MAX_CHARS,
  GROUP_MEMBERS_MAX,
  GROUP_MEMBERS_MIN,
  GROUP_NAME_MAX_CHARS,
  GROUP_NICKNAME_MAX_CHARS,
  GROUP_NOTICE_MAX_CHARS,
  countChars,
} from '../../../protocol/limits';
import type { ErrorDetails } from '../i18n/errors';

export const GROUP_FIELDS = ['name', 'introduction', 'notice', 'memberLimit', 'nickname', 'message'] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];

export type GroupFieldError =
  | { kind: 'empty'; field: GroupField }
  | { kind: 'tooLong'; field: GroupField; limit: number; value: number }
  | { kind: 'notInteger'; field: 'memberLimit'; text: string }
  | { kind: 'tooSmall'; field: GroupField; limit: number; value: number }
  | { kind: 'tooLarge'; field: GroupField; limit: number; value: number };

/** The create form as typed: the member limit is still text. */
export interface GroupCreateForm {
  name: string;
  introduction: string;
  joinPolicy: JoinPolicy;
  memberLimit: string;
  membersCanInvite: boolean;
  historyVisible: boolean;
}

export type GroupCreateCheck = { ok: true; request: CreateGroupRequest } | { ok: false; errors: GroupFieldError[] };

const WHOLE_NUMBER = /^\d+$/;

/** Checks the trimmed name: 1 to GROUP_NAME_MAX_CHARS code points. */
export function validateGroupName(name: string): GroupFieldError | null {
  const trimmed = name.trim();
  if (trimmed === '') return { kind: 'empty', field: 'name' };
  return validateChars('name', trimmed, GROUP_NAME_MAX_CHARS);
}

export function validateChars(field: GroupField, value: string, max: number): GroupFieldError | null {
  const length = countChars(value);
  if (length > max) return { kind: 'tooLong', field, limit: max, value: length };
  return null;
}

export function validateIntroduction(introduction: string): GroupFieldError | null {
  return validateChars('introduction', introduction, GROUP_INTRODUCTION_MAX_CHARS);
}

export function validateNotice(notice: string): GroupFieldError | null {
  return validateChars('notice', notice, GROUP_NOTICE_MAX_CHARS);
}

export function validateNickname(nickname: string): GroupFieldError | null {
  return validateChars('nickname', nickname.trim(), GROUP_NICKNAME_MAX_CHARS);
}

export function validateApplicationMessage(message: string): GroupFieldError | null {
  return validateChars('message', message, GROUP_APPLICATION_MESSAGE_MAX_CHARS);
}

/** Parses the member limit field: a whole number from GROUP_MEMBERS_MIN to GROUP_MEMBERS_MAX. */
export function parseMemberLimit(text: string): { ok: true; value: number } | { ok: false; error: GroupFieldError } {
  const trimmed = text.trim();
  if (!WHOLE_NUMBER.test(trimmed)) return { ok: false, error: { kind: 'notInteger', field: 'memberLimit', text: trimmed } };

  const value = Number(trimmed);
  if (value < GROUP_MEMBERS_MIN) return { ok: false, error: { kind: 'tooSmall', field: 'memberLimit', limit: GROUP_MEMBERS_MIN, value } };
  if (value > GROUP_MEMBERS_MAX) return { ok: false, error: { kind: 'tooLarge', field: 'memberLimit', limit: GROUP_MEMBERS_MAX, value } };
  return { ok: true, value };
}

/** Checks every field of the create form and returns the request body, or every broken limit. */
export function checkGroupCreateForm(form: GroupCreateForm): GroupCreateCheck {
  const errors: GroupFieldError[] = [];
  const nameError = validateGroupName(form.name);
  if (nameError) errors.push(nameError);
  const introductionError = validateIntroduction(form.introduction);
  if (introductionError) errors.push(introductionError);
  const memberLimit = parseMemberLimit(form.memberLimit);
  if (!memberLimit.ok) errors.push(memberLimit.error);

  if (!memberLimit.ok || errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      name: form.name.trim(),
      introduction: form.introduction,
      joinPolicy: form.joinPolicy,
      memberLimit: memberLimit.value,
      membersCanInvite: form.membersCanInvite,
      historyVisible: form.historyVisible,
    },
  };
}

/**
 * Turns the edge's `invalid_request` for a group field (which names the
 * field, the limit and the value) into the same error the form check makes,
 * or null for any other error.
 */
export function fieldErrorFromServer(details: ErrorDetails): GroupFieldError | null {
  if (details.code !== 'invalid_request') return null;
  const field = GROUP_FIELDS.find((candidate) => candidate === details.field);
  if (field === undefined || details.limit === undefined || details.value === undefined) return null;

  if (field === 'name' && details.value === 0) return { kind: 'empty', field };
  if (field !== 'memberLimit') return { kind: 'tooLong', field, limit: details.limit, value: details.value };
  if (details.value < details.limit) return { kind: 'tooSmall', field, limit: details.limit, value: details.value };
  return { kind: 'tooLarge', field, limit: details.limit, value: details.value };
}
