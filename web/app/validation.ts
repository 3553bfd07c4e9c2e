// Client-side checks of the same limits the edge enforces (protocol/limits.ts),
// run before a request so the user sees the limit in their language at once.
// Each check returns the error the server would send, or null when valid.

import {
  BIO_MAX_CHARS,
  DISPLAY_NAME_MAX_CHARS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  TEXT_MAX_BYTES,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  USERNAME_PATTERN,
  countChars,
  countUtf8Bytes,
} from '../../protocol/limits';
import type { ErrorDetails } from './i18n/errors';

export function validateUsername(username: string): ErrorDetails | null {
  const length = countChars(username);
  if (length < USERNAME_MIN_LENGTH) {
    return { code: 'username_invalid', field: 'username', limit: USERNAME_MIN_LENGTH, value: length };
  }
  if (length > USERNAME_MAX_LENGTH) {
    return { code: 'username_invalid', field: 'username', limit: USERNAME_MAX_LENGTH, value: length };
  }
  if (!USERNAME_PATTERN.test(username)) return { code: 'username_invalid', field: 'username' };
  return null;
}

export function validatePassword(password: string): ErrorDetails | null {
  const length = countChars(password);
  if (length < PASSWORD_MIN_LENGTH) {
    return { code: 'password_invalid', field: 'password', limit: PASSWORD_MIN_LENGTH, value: length };
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return { code: 'password_invalid', field: 'password', limit: PASSWORD_MAX_LENGTH, value: length };
  }
  return null;
}

/** Expects the trimmed name: a name of only spaces counts as empty. */
export function validateDisplayName(displayName: string): ErrorDetails | null {
  const length = countChars(displayName);
  if (length === 0 || length > DISPLAY_NAME_MAX_CHARS) {
    return { code: 'display_name_invalid', field: 'displayName', limit: DISPLAY_NAME_MAX_CHARS, value: length };
  }
  return null;
}

export function validateBio(bio: string): ErrorDetails | null {
  const length = countChars(bio);
  if (length > BIO_MAX_CHARS) {
    return { code: 'bio_too_long', field: 'bio', limit: BIO_MAX_CHARS, value: length };
  }
  return null;
}

/** Checks the UTF-8 size of a message text; the caller skips texts that are empty after trimming. */
export function validateMessageText(text: string): ErrorDetails | null {
  const bytes = countUtf8Bytes(text);
  if (bytes > TEXT_MAX_BYTES) return { code: 'text_too_long', limit: TEXT_MAX_BYTES, value: bytes };
  return null;
}
