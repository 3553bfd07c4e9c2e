// Parses text from the socket into a checked ServerFrame.

import { serverFrameSchema, type ServerFrame } from '../../../protocol/frames';

export type ParsedFrame = { ok: true; frame: ServerFrame } | { ok: false; reason: string };

export function parseServerFrame(data: unknown): ParsedFrame {
  if (typeof data !== 'string') return { ok: false, reason: 'binary frame' };

  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'frame is not JSON' };
  }

  const result = serverFrameSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? issue.path.join('.') : '';
    return { ok: false, reason: `frame failed its schema at "${path}": ${issue?.message ?? 'unknown issue'}` };
  }
  return { ok: true, frame: result.data };
}
