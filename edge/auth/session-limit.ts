import type { Env } from '../env';

/**
 * Reads SESSIONS_PER_DEVICE_CLASS. It is checked where it is used, at each
 * sign-in, so a bad value fails that request with a message naming the value
 * rather than passing silently.
 */
export function sessionsPerDeviceClass(env: Pick<Env, 'SESSIONS_PER_DEVICE_CLASS'>): number {
  const raw = env.SESSIONS_PER_DEVICE_CLASS;
  const value = Number(raw);
  if (!/^\d+$/.test(raw ?? '') || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`SESSIONS_PER_DEVICE_CLASS must be a positive integer, got ${JSON.stringify(raw)}.`);
  }
  return value;
}
