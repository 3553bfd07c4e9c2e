// Packs encrypted `send` frames into `sends` frames, so that an outbox of
// several ready messages travels in few WebSocket messages and the edge
// stores each group of them in one commit. A `sends` frame contains at most
// SENDS_PER_FRAME_MAX frames and, as UTF-8 JSON, at most FRAME_MAX_BYTES.

import type { ClientSendFrame, ClientSendsFrame } from '../../../protocol/frames';
import { FRAME_MAX_BYTES, SENDS_PER_FRAME_MAX, countUtf8Bytes } from '../../../protocol/limits';

/** One frame to put on the socket: a lone `send`, or a `sends` of two or more. */
export type PackedSendFrame = ClientSendFrame | ClientSendsFrame;

/**
 * Bytes of `{"type":"sends","sends":[]}`, the part of a `sends` frame around
 * its inner frames. JSON.stringify adds one comma between inner frames and
 * nothing else, so the size of a `sends` frame is known before it is built.
 */
const SENDS_WRAPPER_BYTES = countUtf8Bytes('{"type":"sends","sends":[]}');

/** Returns the UTF-8 bytes of a frame's JSON, the size the edge compares with FRAME_MAX_BYTES. */
export function frameBytes(frame: ClientSendFrame): number {
  return countUtf8Bytes(JSON.stringify(frame));
}

/**
 * Collects `send` frames in order and hands them out packed. The caller adds
 * only frames of at most FRAME_MAX_BYTES each. A frame that fits in no
 * `sends` frame together with another one travels alone as `send`.
 */
export class SendFramePacker {
  private pending: ClientSendFrame[] = [];
  /** Bytes of `pending` as one `sends` frame. */
  private pendingBytes = SENDS_WRAPPER_BYTES;

  /**
   * Adds a frame of `bytes` UTF-8 bytes. When the new frame does not fit
   * with the frames collected so far, returns those packed for the caller to
   * send first, and the new frame starts the next group.
   */
  add(frame: ClientSendFrame, bytes: number): PackedSendFrame | null {
    if (bytes > FRAME_MAX_BYTES) {
      throw new RangeError(`a send frame of ${bytes} bytes is over FRAME_MAX_BYTES (${FRAME_MAX_BYTES}); reject it before packing`);
    }

    const full = this.pending.length >= SENDS_PER_FRAME_MAX || this.pendingBytes + 1 + bytes > FRAME_MAX_BYTES;
    const ready = this.pending.length > 0 && full ? this.take() : null;

    // The first frame of a group adds no comma.
    this.pendingBytes += (this.pending.length > 0 ? 1 : 0) + bytes;
    this.pending.push(frame);
    return ready;
  }

  /** Returns the collected frames packed, or null when there are none, and empties the packer. */
  take(): PackedSendFrame | null {
    const frames = this.pending;
    this.pending = [];
    this.pendingBytes = SENDS_WRAPPER_BYTES;

    if (frames.length === 0) return null;
    if (frames.length === 1) return frames[0]!;
    return { type: 'sends', sends: frames };
  }
}

/** Returns the `send` frames that a packed frame carries, in order. */
export function sendsIn(frame: PackedSendFrame): ClientSendFrame[] {
  return frame.type === 'sends' ? frame.sends : [frame];
}
