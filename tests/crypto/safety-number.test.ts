// Safety numbers from both users' identity keys.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateDeviceIdentity } from '../../web/app/crypto/identity';
import {
  formatSafetyNumber,
  safetyNumber,
  SAFETY_NUMBER_DIGITS,
  type SafetyNumberParty,
} from '../../web/app/crypto/safety-number';
import { hex } from './helpers';

const ALICE_KEY = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const BOB_KEY = hex('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');

/** Computes one user's half of the number again, on node:crypto, as docs/e2e-encryption.md describes it. */
function referenceFingerprint(userId: string, key: Uint8Array): string {
  let hash = Buffer.concat([Buffer.from([0, 0]), key, Buffer.from(userId, 'utf8')]);
  for (let i = 0; i < 5200; i++) hash = createHash('sha512').update(hash).update(key).digest();

  let digits = '';
  for (let offset = 0; offset < 30; offset += 5) digits += String(hash.readUIntBE(offset, 5) % 100_000).padStart(5, '0');
  return digits;
}

describe('safety number', () => {
  const alice: SafetyNumberParty = { userId: 'u-alice', identityKeys: [ALICE_KEY] };
  const bob: SafetyNumberParty = { userId: 'u-bob', identityKeys: [BOB_KEY] };

  it('has 60 digits', async () => {
    expect(await safetyNumber(alice, bob)).toMatch(new RegExp(`^\\d{${SAFETY_NUMBER_DIGITS}}$`));
  });

  it('matches the documented construction', async () => {
    const halves = [referenceFingerprint('u-alice', ALICE_KEY), referenceFingerprint('u-bob', BOB_KEY)].sort();
    expect(await safetyNumber(alice, bob)).toBe(halves.join(''));
  });

  it('is the same from both sides', async () => {
    expect(await safetyNumber(bob, alice)).toBe(await safetyNumber(alice, bob));
  });

  it('ignores device key order', async () => {
    const second = (await generateDeviceIdentity()).publicKeys.signingKey;
    const forward = await safetyNumber({ ...alice, identityKeys: [ALICE_KEY, second] }, bob);
    const backward = await safetyNumber({ ...alice, identityKeys: [second, ALICE_KEY] }, bob);
    expect(backward).toBe(forward);
  });

  it('changes with a substituted key', async () => {
    const substitute = (await generateDeviceIdentity()).publicKeys.signingKey;
    const original = await safetyNumber(alice, bob);
    expect(await safetyNumber(alice, { ...bob, identityKeys: [substitute] })).not.toBe(original);
  });

  it('changes with the user id', async () => {
    const original = await safetyNumber(alice, bob);
    expect(await safetyNumber(alice, { ...bob, userId: 'u-mallory' })).not.toBe(original);
  });

  it('rejects a user without keys', async () => {
    await expect(safetyNumber(alice, { ...bob, identityKeys: [] })).rejects.toThrow(/u-bob has no identity keys/);
  });

  it('formats as 12 groups of 5', async () => {
    const groups = formatSafetyNumber(await safetyNumber(alice, bob));
    expect(groups.length).toBe(12);
    for (const group of groups) expect(group).toMatch(/^\d{5}$/);
  });

  it('format rejects a wrong length', () => {
    expect(() => formatSafetyNumber('1'.repeat(59))).toThrow(/60 digits/);
  });
});
