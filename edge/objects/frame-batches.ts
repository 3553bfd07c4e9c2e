// Server `batch` frames. When one step of a user's object sends two or more
// acks, errors or live events to one socket, they go out as one WebSocket
// message. The client and the runtime then handle one message in place of one
// per frame. The frames keep their order, and a client handles them as if
// they had come one by one.

import type { ServerBatchedFrame } from '../../protocol/frames';
import { BATCH_FRAME_MAX_BYTES, countUtf8Bytes } from '../../protocol/limits';
import { sendText } from './sockets';

/** The JSON of `{type: 'batch', frames: [...]}` around the frames' own JSON, as JSON.stringify writes it. */
const BATCH_PREFIX = '{"type":"batch","frames":[';
const BATCH_SUFFIX = ']}';

/**
 * Serializes `frames`, in order, as the texts of WebSocket messages. Each
 * message is a `batch` of consecutive frames whose JSON adds up to at most
 * BATCH_FRAME_MAX_BYTES of UTF-8. A frame that would pass the limit starts the
 * next message, and a message of one frame is that frame itself, not a batch.
 */
export function batchTexts(frames: readonly ServerBatchedFrame[]): string[] {
  const texts: string[] = [];
  let run: string[] = [];
  let runBytes = 0;

  for (const frame of frames) {
    const text = JSON.stringify(frame);
    const bytes = countUtf8Bytes(text);
    if (run.length > 0 && runBytes + bytes > BATCH_FRAME_MAX_BYTES) {
      texts.push(joinRun(run));
      run = [];
      runBytes = 0;
    }
    run.push(text);
    runBytes += bytes;
  }

  if (run.length > 0) texts.push(joinRun(run));
  return texts;
}

/** One socket's frames, identified by the socket id of its attachment. */
export interface OutboxSocket {
  ws: WebSocket;
  socketId: string;
}

/**
 * Frames collected per socket during one synchronous step, then sent with
 * `send`. Each socket gets its frames in the order they were added.
 */
export class SocketOutbox {
  private readonly queued = new Map<string, { ws: WebSocket; frames: ServerBatchedFrame[] }>();

  add(socket: OutboxSocket, frame: ServerBatchedFrame): void {
    const entry = this.queued.get(socket.socketId);
    if (entry) {
      entry.frames.push(frame);
      return;
    }
    this.queued.set(socket.socketId, { ws: socket.ws, frames: [frame] });
  }

  /** Sends every socket its frames as `batch` messages and empties the outbox; closed sockets are skipped. */
  send(): void {
    for (const { ws, frames } of this.queued.values()) {
      for (const text of batchTexts(frames)) sendText(ws, text);
    }
    this.queued.clear();
  }
}

function joinRun(run: readonly string[]): string {
  if (run.length === 1) return run[0];
  return BATCH_PREFIX + run.join(',') + BATCH_SUFFIX;
}
