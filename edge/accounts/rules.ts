// Account field rules. Each check returns the normalized value or throws an
// ApiError whose message names the value's size and the broken limit, so the
// PWA can show it in the user's language from `code`, `limit` and `value`.

import {
  BIO_MAX_CHARS,
  DISPLAY_NAME_MAX_CHARS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  USERNAME_PATTERN,
  countChars,
} from '../../protocol/limits';
import { ApiError } from '../http/api-error';

/** C0 and C1 control characters (Unicode category Cc). */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Control characters other than line feed, which a bio may contain. */
const BIO_FORBIDDEN_CHARACTER = /(?!\n)\p{Cc}/u;

/** Returns the username unchanged; usernames are compared ignoring case through `usernameKey`. */
export function checkUsername(username: string): string {
  const length = countChars(username);
  if (length < USERNAME_MIN_LENGTH) {
    throw new ApiError(
      400,
      'username_invalid',
      `Username has ${length} characters; the minimum is ${USERNAME_MIN_LENGTH}.`,
      { field: 'username', limit: USERNAME_MIN_LENGTH, value: length },
    );
  }
  if (length > USERNAME_MAX_LENGTH) {
    throw new ApiError(
      400,
      'username_invalid',
      `Username has ${length} characters; the maximum is ${USERNAME_MAX_LENGTH}.`,
      { field: 'username', limit: USERNAME_MAX_LENGTH, value: length },
    );
  }
  if (!USERNAME_PATTERN.test(username)) {
    throw new ApiError(
      400,
      'username_invalid',
      'Username must start with an ASCII letter and contain only ASCII letters, digits and underscores.',
      { field: 'username' },
    );
  }
  return username;
}

/** Returns the lower-cased form that makes usernames unique ignoring case. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

/** Returns the display name with surrounding whitespace removed. */
export function checkDisplayName(displayName: string): string {
  const trimmed = displayName.trim();
  const length = countChars(trimmed);
  if (length === 0) {
    throw new ApiError(400, 'display_name_invalid', 'Display name is empty after trimming whitespace.', {
      field: 'displayName',
    });
  }
  if (length > DISPLAY_NAME_MAX_CHARS) {
    throw new ApiError(
      400,
      'display_name_invalid',
      `Display name has ${length} characters; the maximum is ${DISPLAY_NAME_MAX_CHARS}.`,
      { field: 'displayName', limit: DISPLAY_NAME_MAX_CHARS, value: length },
    );
  }
  if (CONTROL_CHARACTER.test(trimmed)) {
    throw new ApiError(400, 'display_name_invalid', 'Display name contains a control character.', {
      field: 'displayName',
    });
  }
  return trimmed;
}

/** Returns the bio unchanged; it may be empty and may contain line feeds. */
export function checkBio(bio: string): string {
  const length = countChars(bio);
  if (length > BIO_MAX_CHARS) {
    throw new ApiError(400, 'bio_too_long', `Bio has ${length} characters; the maximum is ${BIO_MAX_CHARS}.`, {
      field: 'bio',
      limit: BIO_MAX_CHARS,
      value: length,
    });
  }
  if (BIO_FORBIDDEN_CHARACTER.test(bio)) {
    throw new ApiError(400, 'invalid_request', 'Bio contains a control character other than a line feed.', {
      field: 'bio',
    });
  }
  return bio;
}

export function checkPassword(password: string): string {
  const length = countChars(password);
  if (length < PASSWORD_MIN_LENGTH) {
    throw new ApiError(
      400,
      'password_invalid',
      `Password has ${length} characters; the minimum is ${PASSWORD_MIN_LENGTH}.`,
      { field: 'password', limit: PASSWORD_MIN_LENGTH, value: length },
    );
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw new ApiError(
      400,
      'password_invalid',
      `Password has ${length} characters; the maximum is ${PASSWORD_MAX_LENGTH}.`,
      { field: 'password', limit: PASSWORD_MAX_LENGTH, value: length },
    );
  }
  return password;
}
