// Checks of an encrypted `send` that need no key: the envelope's byte size,
// that its sender device is the device of the sending session, and that it
// addresses exactly the recipient's active devices plus the sender's other
// active devices. Pure functions over the device list, so they are tested
// without D1.

import type { Envelope } from '../../protocol/envelope';
import type { ServerErrorFrame, UserDevices } from '../../protocol/frames';
import { ENVELOPE_MAX_BYTES, countUtf8Bytes } from '../../protocol/limits';

/** An active device as the send path needs it: whose it is and which session it is signed in with. */
export interface ActiveDevice {
  id: string;
  userId: string;
  sessionId: string;
}

export type SendRejection = Pick<ServerErrorFrame, 'code' | 'message' | 'limit' | 'value' | 'devices'>;

/** Returns the rejection of an envelope over ENVELOPE_MAX_BYTES, measured as compact JSON. */
export function checkEnvelopeSize(envelope: Envelope): SendRejection | undefined {
  const bytes = countUtf8Bytes(JSON.stringify(envelope));
  if (bytes <= ENVELOPE_MAX_BYTES) return undefined;

  return {
    code: 'envelope_too_large',
    message: `The envelope has ${bytes} bytes as JSON; the maximum is ${ENVELOPE_MAX_BYTES}.`,
    limit: ENVELOPE_MAX_BYTES,
    value: bytes,
  };
}

export interface AddressingInput {
  envelope: Envelope;
  senderId: string;
  recipientId: string;
  /** The session of the socket the frame came from. */
  sessionId: string;
  /** Active devices of the sender and the recipient (one list when they are the same user). */
  devices: readonly ActiveDevice[];
}

/**
 * Returns why the envelope cannot be stored, or undefined when its sender is
 * this session's device and its entries name exactly the expected devices,
 * each once.
 */
export function checkAddressing(input: AddressingInput): SendRejection | undefined {
  const { envelope, senderId, recipientId, sessionId, devices } = input;

  const ownDevice = devices.find((device) => device.sessionId === sessionId && device.userId === senderId);
  if (!ownDevice) {
    return {
      code: 'device_not_registered',
      message: 'This session has no registered device; register one with POST /api/v1/devices before sending.',
    };
  }
  if (envelope.senderDevice !== ownDevice.id) {
    return {
      code: 'invalid_request',
      message: `envelope.senderDevice ${JSON.stringify(envelope.senderDevice)} is not this session's device ${JSON.stringify(ownDevice.id)}.`,
    };
  }

  const expected = new Set(
    devices
      .filter((device) => device.userId === recipientId || device.userId === senderId)
      .map((device) => device.id),
  );
  expected.delete(ownDevice.id);

  const addressed = envelope.recipients.map((entry) => entry.device);
  const distinct = new Set(addressed).size === addressed.length;
  if (distinct && addressed.length === expected.size && addressed.every((device) => expected.has(device))) {
    return undefined;
  }

  return {
    code: 'devices_changed',
    message:
      `The envelope addresses ${addressed.length} devices, not exactly the ${expected.size} devices of the ` +
      'recipient and your other devices; encrypt again for the devices listed in `devices`, with the same cid.',
    devices: deviceLists(devices, senderId, recipientId),
  };
}

/** Returns the active devices of the recipient and, if another user, of the sender, in that order. */
function deviceLists(devices: readonly ActiveDevice[], senderId: string, recipientId: string): UserDevices[] {
  const users = recipientId === senderId ? [recipientId] : [recipientId, senderId];
  return users.map((userId) => ({
    userId,
    deviceIds: devices.filter((device) => device.userId === userId).map((device) => device.id),
  }));
}
