import { describe, expect, test } from 'vitest';
import {
  BIO_MAX_CHARS,
  DISPLAY_NAME_MAX_CHARS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  TEXT_MAX_BYTES,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from '../../protocol/limits';
import {
  validateBio,
  validateDisplayName,
  validateMessageText,
  validatePassword,
  validateUsername,
} from '../../web/app/validation';

describe('form limits at and past edge', () => {
  test('username length bounds', () => {
    expect(validateUsername('a'.repeat(USERNAME_MIN_LENGTH))).toBeNull();
    expect(validateUsername('a'.repeat(USERNAME_MIN_LENGTH - 1))).toEqual({
      code: 'username_invalid',
      field: 'username',
      limit: USERNAME_MIN_LENGTH,
      value: USERNAME_MIN_LENGTH - 1,
    });
    expect(validateUsername('a'.repeat(USERNAME_MAX_LENGTH))).toBeNull();
    expect(validateUsername('a'.repeat(USERNAME_MAX_LENGTH + 1))).toMatchObject({
      limit: USERNAME_MAX_LENGTH,
      value: USERNAME_MAX_LENGTH + 1,
    });
  });

  test('username pattern rejects bad characters', () => {
    expect(validateUsername('alice_01')).toBeNull();
    expect(validateUsername('1alice')).toEqual({ code: 'username_invalid', field: 'username' });
    expect(validateUsername('ali ce')).toEqual({ code: 'username_invalid', field: 'username' });
    expect(validateUsername('爱丽丝abc')).toEqual({ code: 'username_invalid', field: 'username' });
  });

  test('password length bounds', () => {
    expect(validatePassword('p'.repeat(PASSWORD_MIN_LENGTH))).toBeNull();
    expect(validatePassword('p'.repeat(PASSWORD_MIN_LENGTH - 1))).toMatchObject({
      code: 'password_invalid',
      limit: PASSWORD_MIN_LENGTH,
      value: PASSWORD_MIN_LENGTH - 1,
    });
    expect(validatePassword('p'.repeat(PASSWORD_MAX_LENGTH))).toBeNull();
    expect(validatePassword('p'.repeat(PASSWORD_MAX_LENGTH + 1))).toMatchObject({
      limit: PASSWORD_MAX_LENGTH,
      value: PASSWORD_MAX_LENGTH + 1,
    });
  });

  test('password counts code points', () => {
    expect(validatePassword('密'.repeat(PASSWORD_MIN_LENGTH))).toBeNull();
    expect(validatePassword('🔑'.repeat(PASSWORD_MIN_LENGTH - 1))).toMatchObject({ value: PASSWORD_MIN_LENGTH - 1 });
  });

  test('display name length bounds', () => {
    expect(validateDisplayName('名'.repeat(DISPLAY_NAME_MAX_CHARS))).toBeNull();
    expect(validateDisplayName('名'.repeat(DISPLAY_NAME_MAX_CHARS + 1))).toEqual({
      code: 'display_name_invalid',
      field: 'displayName',
      limit: DISPLAY_NAME_MAX_CHARS,
      value: DISPLAY_NAME_MAX_CHARS + 1,
    });
    expect(validateDisplayName('')).toMatchObject({ code: 'display_name_invalid', value: 0 });
  });

  test('bio length bounds', () => {
    expect(validateBio('')).toBeNull();
    expect(validateBio('b'.repeat(BIO_MAX_CHARS))).toBeNull();
    expect(validateBio('b'.repeat(BIO_MAX_CHARS + 1))).toEqual({
      code: 'bio_too_long',
      field: 'bio',
      limit: BIO_MAX_CHARS,
      value: BIO_MAX_CHARS + 1,
    });
  });

  test('message text counts UTF-8 bytes', () => {
    const atLimit = '你'.repeat(1365) + 'a';
    const overLimit = '你'.repeat(1365) + 'ab';

    expect(validateMessageText(atLimit)).toBeNull();
    expect(validateMessageText(overLimit)).toEqual({
      code: 'text_too_long',
      limit: TEXT_MAX_BYTES,
      value: TEXT_MAX_BYTES + 1,
    });
  });
});
