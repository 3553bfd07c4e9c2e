import { describe, expect, it } from 'vitest';
import { checkBio, checkDisplayName, checkPassword, checkUsername, usernameKey } from '../../../edge/accounts/rules';
import { ApiError } from '../../../edge/http/api-error';

function errorOf(check: () => unknown): ApiError {
  try {
    check();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('Expected the check to throw an ApiError.');
}

describe('account rules', () => {
  it('username key ignores case', () => {
    expect(usernameKey('Alice_01')).toBe('alice_01');
  });

  it('username message names length and limit', () => {
    const error = errorOf(() => checkUsername('ab'));
    expect(error.code).toBe('username_invalid');
    expect(error.message).toBe('Username has 2 characters; the minimum is 3.');
    expect(error.details).toEqual({ field: 'username', limit: 3, value: 2 });
  });

  it('display name is trimmed', () => {
    expect(checkDisplayName('\t 王小明 \n')).toBe('王小明');
  });

  it('display name counts code points', () => {
    // 64 emoji are 128 UTF-16 units but 64 characters.
    expect(checkDisplayName('🕊'.repeat(64))).toBe('🕊'.repeat(64));
  });

  it('display name rejects C1 controls', () => {
    expect(errorOf(() => checkDisplayName('name\u0085')).code).toBe('display_name_invalid');
  });

  it('bio allows line feeds only', () => {
    expect(checkBio('a\nb')).toBe('a\nb');
    expect(checkBio('')).toBe('');
    expect(errorOf(() => checkBio('a\r\nb')).details.field).toBe('bio');
  });

  it('password counts code points', () => {
    expect(checkPassword('🔑'.repeat(8))).toBe('🔑'.repeat(8));
    expect(errorOf(() => checkPassword('🔑'.repeat(7))).details.value).toBe(7);
  });
});
