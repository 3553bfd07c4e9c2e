// Parsing of frames from the PWA. Every failure becomes an `error` frame that
// names the problem; the caller sends it and keeps the socket open.

import {
  CLIENT_FRAME_TYPES,
  clientFrameSchema,
  type ClientFrame,
  type ServerErrorFrame,
} from '../../protocol/frames';
import { FRAME_MAX_BYTES } from '../../protocol/limits';
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

function isClientFrameType(type: string): type is ClientFrame['type'] {
  return (CLIENT_FRAME_TYPES as readonly string[]).includes(type);
}

function fail(error: Omit<ServerErrorFrame, 'type'>): ParsedFrame {
  const frame: ServerErrorFrame = { type: 'error', ...error };
  if (frame.cid === undefined) delete frame.cid;
  return { ok: false, error: frame };
}
