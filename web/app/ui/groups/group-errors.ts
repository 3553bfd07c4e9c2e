// Error messages of the group screens in the active language. Field limits
// name the field, the value and the limit; other errors go through errorText.

import { errorText, t, type MessageKey } from '../../i18n';
import { ApiError } from '../../net/http';
import { fieldErrorFromServer, type GroupField, type GroupFieldError } from '../../state/group-admin-validation';

const FIELD_LABELS: Record<GroupField, MessageKey> = {
  name: 'groupAdmin.field.name',
  introduction: 'groupAdmin.field.introduction',
  notice: 'groupAdmin.field.notice',
  memberLimit: 'groupAdmin.field.memberLimit',
  nickname: 'groupAdmin.field.nickname',
  message: 'groupAdmin.field.message',
};

export function fieldErrorText(error: GroupFieldError): string {
  const field = t(FIELD_LABELS[error.field]);
  switch (error.kind) {
    case 'empty':
      return t('groupAdmin.error.empty', { field });
    case 'tooLong':
      return t('groupAdmin.error.tooLong', { field, limit: error.limit, value: error.value });
    case 'notInteger':
      return t('groupAdmin.error.notInteger', { field, text: error.text });
    case 'tooSmall':
      return t('groupAdmin.error.tooSmall', { field, limit: error.limit, value: error.value });
    case 'tooLarge':
      return t('groupAdmin.error.tooLarge', { field, limit: error.limit, value: error.value });
    default: {
      const unreachable: never = error;
      throw new Error(`no message for group field error ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Describes a failed group request; an unexpected failure is logged and shown as an internal error. */
export function groupFailureText(failure: unknown): string {
  if (!(failure instanceof ApiError)) {
    console.error('[groups] unexpected failure', failure);
    return errorText({ code: 'internal' });
  }
  const fieldError = fieldErrorFromServer(failure.details);
  return fieldError ? fieldErrorText(fieldError) : errorText(failure.details);
}
