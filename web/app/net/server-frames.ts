// Parses text from the socket into a checked ServerFrame, and unpacks
// `batch` frames into the frames they carry.

import { serverFrameSchema, type ServerBatchFrame, type ServerFrame } from '../../../protocol/frames';

/** A server frame as the client handles it: any frame but `batch`. */
export type SingleServerFrame = Exclude<ServerFrame, ServerBatchFrame>;

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

/**
 * Returns the frames to handle, in order: the inner frames of a `batch`, or
 * the frame itself. The schema checked the whole batch, so a batch with one
 * invalid inner frame never gets here.
 */
export function unbatch(frame: ServerFrame): SingleServerFrame[] {
  return frame.type === 'batch' ? frame.frames : [frame];
}
