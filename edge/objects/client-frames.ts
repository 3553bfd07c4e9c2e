// Parsing of frames from the PWA. Every failure becomes an `error` frame that
// names the problem; the caller sends it and keeps the socket open.

import {
  CLIENT_FRAME_TYPES,
  clientFrameSchema,
  type ClientFrame,
  type ServerErrorFrame,
} from '../../protocol/frames';
import { FRAME_MAX_BYTES, SENDS_PER_FRAME_MAX } from '../../protocol/limits';
import { validate } from '../validation';

export type ParsedFrame = { ok: true; frame: ClientFrame } | { ok: false; error: ServerErrorFrame };

/** One UTF-16 code unit encodes to at most 3 bytes of UTF-8 (a surrogate pair, 2 units, to 4). */
const UTF8_BYTES_PER_UTF16_UNIT_MAX = 3;

const encoder = new TextEncoder();

export function parseClientFrame(data: string | ArrayBuffer): ParsedFrame {
  const size = frameBytes(data);
  if (size > FRAME_MAX_BYTES) {
    return fail({
      code: 'frame_too_large',
      message: `Frame has ${size} bytes; the maximum is ${FRAME_MAX_BYTES}.`,
      limit: FRAME_MAX_BYTES,
      value: size,
    });
  }
  if (typeof data !== 'string') {
    return fail({ code: 'invalid_frame', message: 'Binary frames are not supported; send JSON text.' });
  }

  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return fail({ code: 'invalid_frame', message: 'Frame is not valid JSON.' });
  }

  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail({ code: 'invalid_frame', message: 'Frame must be a JSON object.' });
  }
  const type: unknown = 'type' in json ? json.type : undefined;
  if (typeof type !== 'string') {
    return fail({ code: 'invalid_frame', message: 'Frame has no string field "type".' });
  }
  if (!isClientFrameType(type)) {
    return fail({
      code: 'unknown_frame',
      message: `Frame type ${JSON.stringify(type)} is unknown; expected one of ${CLIENT_FRAME_TYPES.join(', ')}.`,
    });
  }

  const sendsCount = checkSendsCount(json);
  if (sendsCount) return fail(sendsCount);

  const result = validate(clientFrameSchema, json);
  if (!result.ok) {
    const cid = 'cid' in json && typeof json.cid === 'string' ? json.cid : undefined;
    return fail({ code: 'invalid_request', message: `Invalid ${type} frame: ${result.message}`, cid });
  }
  return { ok: true, frame: result.value };
}

/**
 * Returns the frame's size in bytes, or an upper bound of it when that bound
 * is within FRAME_MAX_BYTES, so a typical frame is not encoded only to be measured.
 */
function frameBytes(data: string | ArrayBuffer): number {
  if (typeof data !== 'string') return data.byteLength;

  const bound = data.length * UTF8_BYTES_PER_UTF16_UNIT_MAX;
  if (bound <= FRAME_MAX_BYTES) return bound;
  return encoder.encode(data).byteLength;
}

/**
 * Rejects a `sends` frame with no sends or more than SENDS_PER_FRAME_MAX
 * before the schema runs, so the error names the count and the limit. A
 * rejected `sends` frame stores none of its sends.
 */
function checkSendsCount(json: object): Omit<ServerErrorFrame, 'type'> | undefined {
  if (!('type' in json) || json.type !== 'sends' || !('sends' in json) || !Array.isArray(json.sends)) return undefined;

  const count = json.sends.length;
  if (count === 0) {
    return { code: 'invalid_request', message: `A sends frame has no sends; it needs 1 to ${SENDS_PER_FRAME_MAX}.` };
  }
  if (count <= SENDS_PER_FRAME_MAX) return undefined;
  return {
    code: 'invalid_request',
    message: `A sends frame has ${count} sends; the maximum is ${SENDS_PER_FRAME_MAX}. Split them over several frames.`,
    limit: SENDS_PER_FRAME_MAX,
    value: count,
  };
}

function isClientFrameType(type: string): type is ClientFrame['type'] {
  return (CLIENT_FRAME_TYPES as readonly string[]).includes(type);
}

function fail(error: Omit<ServerErrorFrame, 'type'>): ParsedFrame {
  const frame: ServerErrorFrame = { type: 'error', ...error };
  if (frame.cid === undefined) delete frame.cid;
  return { ok: false, error: frame };
}
