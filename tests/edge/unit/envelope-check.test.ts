import { describe, expect, it } from 'vitest';
import { checkAddressing, checkEnvelopeSize, type ActiveDevice } from '../../../edge/objects/envelope-check';
import type { Envelope } from '../../../protocol/envelope';
import { ENVELOPE_MAX_BYTES } from '../../../protocol/limits';

const devices: ActiveDevice[] = [
  { id: 'alice-desktop', userId: 'alice', sessionId: 's-alice-desktop' },
  { id: 'alice-phone', userId: 'alice', sessionId: 's-alice-phone' },
  { id: 'bob-desktop', userId: 'bob', sessionId: 's-bob-desktop' },
  { id: 'carol-desktop', userId: 'carol', sessionId: 's-carol-desktop' },
];

function envelope(senderDevice: string, recipients: string[]): Envelope {
  return {
    v: 1,
    senderDevice,
    recipients: recipients.map((device) => ({ device, type: 'message', header: 'h', ciphertext: 'c' })),
  };
}

function check(recipients: string[], options: { to?: string; sessionId?: string; sender?: string } = {}) {
  return checkAddressing({
    envelope: envelope(options.sender ?? 'alice-desktop', recipients),
    senderId: 'alice',
    recipientId: options.to ?? 'bob',
    sessionId: options.sessionId ?? 's-alice-desktop',
    devices,
  });
}

describe('envelope addressing', () => {
  it.each([
    { case: 'peer and own other device', recipients: ['bob-desktop', 'alice-phone'] },
    { case: 'any order', recipients: ['alice-phone', 'bob-desktop'] },
  ])('$case is accepted', ({ recipients }) => {
    expect(check(recipients)).toBeUndefined();
  });

  it.each([
    { case: 'missing peer device', recipients: ['alice-phone'] },
    { case: 'missing own other device', recipients: ['bob-desktop'] },
    { case: 'a third user', recipients: ['bob-desktop', 'alice-phone', 'carol-desktop'] },
    { case: 'the sending device', recipients: ['bob-desktop', 'alice-phone', 'alice-desktop'] },
    { case: 'a device twice', recipients: ['bob-desktop', 'alice-phone', 'bob-desktop'] },
    { case: 'an unknown device', recipients: ['bob-desktop', 'alice-tablet'] },
  ])('$case is devices_changed', ({ recipients }) => {
    const rejection = check(recipients);

    expect(rejection?.code).toBe('devices_changed');
    expect(rejection?.devices).toEqual([
      { userId: 'bob', deviceIds: ['bob-desktop'] },
      { userId: 'alice', deviceIds: ['alice-desktop', 'alice-phone'] },
    ]);
  });

  it('note to self lists one user', () => {
    expect(check(['alice-phone'], { to: 'alice' })).toBeUndefined();
    expect(check([], { to: 'alice' })?.devices).toEqual([{ userId: 'alice', deviceIds: ['alice-desktop', 'alice-phone'] }]);
  });

  it('session without a device is rejected', () => {
    expect(check(['bob-desktop', 'alice-phone'], { sessionId: 's-unknown' })?.code).toBe('device_not_registered');
  });

  it('foreign sender device is rejected', () => {
    const rejection = check(['bob-desktop', 'alice-desktop'], { sender: 'alice-phone' });

    expect(rejection?.code).toBe('invalid_request');
    expect(rejection?.message).toContain('alice-phone');
  });
});

describe('envelope size', () => {
  function envelopeOfBytes(bytes: number): Envelope {
    const base = envelope('a', ['b']);
    const padding = bytes - JSON.stringify(base).length;
    return { ...base, recipients: [{ ...base.recipients[0]!, ciphertext: 'c' + 'x'.repeat(padding) }] };
  }

  it('ENVELOPE_MAX_BYTES passes', () => {
    expect(checkEnvelopeSize(envelopeOfBytes(ENVELOPE_MAX_BYTES))).toBeUndefined();
  });

  it('one byte past is envelope_too_large', () => {
    expect(checkEnvelopeSize(envelopeOfBytes(ENVELOPE_MAX_BYTES + 1))).toMatchObject({
      code: 'envelope_too_large',
      limit: ENVELOPE_MAX_BYTES,
      value: ENVELOPE_MAX_BYTES + 1,
    });
  });
});
