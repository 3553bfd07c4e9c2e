// Maps every protocol ErrorCode, plus the two failures that happen before a
// server responds, to a catalog key and the values that name the value and
// the limit. Holds no catalog, so the page can import it before any language
// has loaded.

import {
  AVATAR_MAX_BYTES,
  BIO_MAX_CHARS,
  DEVICES_PER_USER_MAX,
  DISPLAY_NAME_MAX_CHARS,
  ENVELOPE_MAX_BYTES,
  FRAME_MAX_BYTES,
  FRIEND_REQUEST_MESSAGE_MAX_CHARS,
  GROUP_MEMBERS_MAX,
  HTTP_BODY_MAX_BYTES,
  ONE_TIME_PREKEYS_PER_DEVICE_MAX,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  REGION_MAX_CHARS,
  SEARCH_QUERY_MAX_CHARS,
  TEXT_MAX_BYTES,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from '../../../protocol/limits';
import type { MessageKey } from './en';
import type { ErrorDetails } from './errors';
import type { MessageValues } from './locales';

/** Returns the catalog key for an error and its placeholder values, using the `.value` variant when a value is known. */
export function errorMessageFor(details: ErrorDetails): [MessageKey, MessageValues?] {
  const { code, value, field } = details;

  switch (code) {
    case 'text_too_long':
      return withValue(details, 'error.text_too_long', 'error.text_too_long.value', TEXT_MAX_BYTES);
    case 'frame_too_large':
      return withValue(details, 'error.frame_too_large', 'error.frame_too_large.value', FRAME_MAX_BYTES);
    case 'payload_too_large':
      return withValue(
        details,
        'error.payload_too_large',
        'error.payload_too_large.value',
        HTTP_BODY_MAX_BYTES,
      );
    case 'display_name_invalid':
      return withValue(
        details,
        'error.display_name_invalid',
        'error.display_name_invalid.value',
        DISPLAY_NAME_MAX_CHARS,
      );
    case 'bio_too_long':
      return withValue(details, 'error.bio_too_long', 'error.bio_too_long.value', BIO_MAX_CHARS);
    case 'request_message_too_long':
      return withValue(
        details,
        'error.request_message_too_long',
        'error.request_message_too_long.value',
        FRIEND_REQUEST_MESSAGE_MAX_CHARS,
      );
    case 'region_too_long':
      return withValue(details, 'error.region_too_long', 'error.region_too_long.value', REGION_MAX_CHARS);
    case 'image_too_large':
      return withValue(details, 'error.image_too_large', 'error.image_too_large.value', AVATAR_MAX_BYTES);
    case 'query_too_long':
      return withValue(details, 'error.query_too_long', 'error.query_too_long.value', SEARCH_QUERY_MAX_CHARS);
    case 'envelope_too_large':
      return withValue(details, 'error.envelope_too_large', 'error.envelope_too_large.value', ENVELOPE_MAX_BYTES);
    case 'too_many_devices':
      return ['error.too_many_devices', { limit: details.limit ?? DEVICES_PER_USER_MAX }];
    case 'too_many_prekeys':
      return ['error.too_many_prekeys', { limit: details.limit ?? ONE_TIME_PREKEYS_PER_DEVICE_MAX }];
    case 'group_full':
      return ['error.group_full', { limit: details.limit ?? GROUP_MEMBERS_MAX }];
    case 'username_invalid': {
      const range = { min: USERNAME_MIN_LENGTH, max: USERNAME_MAX_LENGTH };
      if (value === undefined) return ['error.username_invalid', range];
      return ['error.username_invalid.value', { ...range, value }];
    }
    case 'password_invalid': {
      const range = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };
      if (value === undefined) return ['error.password_invalid', range];
      return ['error.password_invalid.value', { ...range, value }];
    }
    case 'invalid_request':
      if (field === undefined) return ['error.invalid_request'];
      return ['error.invalid_request.field', { field }];
    case 'invalid_frame':
    case 'unknown_frame':
    case 'username_taken':
    case 'invalid_credentials':
    case 'unauthorized':
    case 'forbidden':
    case 'not_found':
    case 'recipient_not_found':
    case 'rate_limited':
    case 'not_allowed':
    case 'image_type_unsupported':
    case 'encryption_required':
    case 'devices_changed':
    case 'device_not_registered':
    case 'not_a_member':
    case 'already_member':
    case 'already_handled':
    case 'owner_must_transfer':
    case 'internal':
    case 'network':
    case 'bad_response':
      return [`error.${code}`];
    default: {
      const unreachable: never = code;
      throw new Error(`no message for error code ${String(unreachable)}`);
    }
  }
}

/** Uses the variant that names the value when the server or the form check reported one. */
function withValue(
  details: ErrorDetails,
  limitKey: MessageKey,
  valueKey: MessageKey,
  defaultLimit: number,
): [MessageKey, MessageValues] {
  const limit = details.limit ?? defaultLimit;
  if (details.value === undefined) return [limitKey, { limit }];
  return [valueKey, { limit, value: details.value }];
}
