import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../../edge/auth/base64url';
import { deviceClassOf } from '../../../edge/auth/device-class';
import { hashPassword, PBKDF2_ITERATIONS, spendPasswordWork, verifyPassword } from '../../../edge/auth/password';
import { sessionsPerDeviceClass } from '../../../edge/auth/session-limit';
import { hashToken, newId, newToken } from '../../../edge/auth/tokens';

describe('base64url', () => {
  it('round-trips every byte value', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes);
  });

  it('uses the URL-safe alphabet without padding', () => {
    expect(encodeBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
});

describe('tokens', () => {
  it('ids and tokens are URL-safe', () => {
    expect(newId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(newToken());
  });

  it('token hash is SHA-256 base64url', async () => {
    // SHA-256("abc") from FIPS 180-2, appendix B.1.
    expect(await hashToken('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});

describe('password hashing', () => {
  it('verifies the right password only', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored.iterations).toBe(PBKDF2_ITERATIONS);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    const first = await hashPassword('same password');
    const second = await hashPassword('same password');
    expect(first.salt).not.toBe(second.salt);
    expect(first.hash).not.toBe(second.hash);
  });

  it('unknown-user work completes', async () => {
    await expect(spendPasswordWork('anything at all')).resolves.toBeUndefined();
  });
});

describe('device class', () => {
  it.each([
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148', 'phone'],
    ['Mozilla/5.0 (iPad; CPU OS 18_0 like Mac OS X)', 'phone'],
    ['Mozilla/5.0 (Linux; Android 15) Chrome/140.0 Safari/537.36', 'phone'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140.0 Safari/537.36', 'desktop'],
    ['', 'desktop'],
  ])('%j is %s', (userAgent, expected) => {
    expect(deviceClassOf(userAgent)).toBe(expected);
  });
});

describe('SESSIONS_PER_DEVICE_CLASS', () => {
  it.each([
    ['1', 1],
    ['3', 3],
  ])('%j parses to %d', (raw, expected) => {
    expect(sessionsPerDeviceClass({ SESSIONS_PER_DEVICE_CLASS: raw })).toBe(expected);
  });

  it.each(['0', '-1', '1.5', 'two', '', ' 1'])('%j is rejected naming the value', (raw) => {
    expect(() => sessionsPerDeviceClass({ SESSIONS_PER_DEVICE_CLASS: raw })).toThrow(
      `SESSIONS_PER_DEVICE_CLASS must be a positive integer, got ${JSON.stringify(raw)}.`,
    );
  });
});
