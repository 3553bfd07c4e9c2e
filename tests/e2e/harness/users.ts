import { randomBytes } from 'node:crypto';
import { USERNAME_MAX_LENGTH } from '../../../protocol/limits';

export interface TestUser {
  username: string;
  password: string;
  displayName: string;
}

/**
 * Makes a user with a username unique to this run: `role` (ASCII letters,
 * starting with one) plus a random suffix, within USERNAME_MAX_LENGTH.
 */
export function makeUser(role: string, displayName = `${role} 测试`): TestUser {
  const suffix = randomBytes(6).toString('hex');
  const username = `${role}_${suffix}`;
  if (username.length > USERNAME_MAX_LENGTH) {
    throw new Error(
      `Test username ${username} has ${username.length} characters, over USERNAME_MAX_LENGTH ${USERNAME_MAX_LENGTH}: shorten the role "${role}"`,
    );
  }
  return { username, password: `pw-${suffix}-secret`, displayName };
}
