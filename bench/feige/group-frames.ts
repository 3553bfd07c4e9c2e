// The frames a group member receives, read in two steps. On arrival the bench
// takes only the cid of a message frame from its text. A schema check of one
// `group.entry` frame costs about 40 µs in Node 20 (measured on the 2-core
// bench machine under load). Checking 10,000 receivers at once would add
// about 400 ms of the bench's own CPU to a fan-out figure. Once the timed part
// is over, DeferredFrameCheck runs the full schema check of protocol/frames.ts
// on every frame counted that way. It reports a frame that fails the check or
// carries another cid as a problem.

import { groupSocketServerFrameSchema, serverFrameSchema } from '../../protocol/frames';

export type SocketKind = 'user' | 'group';

/** Text prefixes of a message frame as the edge serializes it: an inbox event on /ws, an entry on a group socket. */
const MESSAGE_FRAME_PREFIX: Record<SocketKind, string> = { user: '{"type":"event"', group: '{"type":"group.entry"' };
const MESSAGE_MARKER: Record<SocketKind, string> = { user: '"kind":"group.message"', group: '"kind":"message"' };
const CID_PATTERN = /"cid":"([^"\\]+)"/;

/**
 * Returns the cid of a group message frame read from its text, or undefined
 * for any other frame (which the caller then checks at once with
 * readMessageCid). The deferred check confirms the cid.
 */
export function quickMessageCid(text: string, kind: SocketKind): string | undefined {
  if (!text.startsWith(MESSAGE_FRAME_PREFIX[kind]) || !text.includes(MESSAGE_MARKER[kind])) return undefined;
  return CID_PATTERN.exec(text)?.[1];
}

/** Checks a frame against its schema and returns the cid of a message of `groupId`. Reports an invalid or error frame through `onProblem`. */
export function readMessageCid(text: string, kind: SocketKind, groupId: string, onProblem: (problem: string) => void): string | undefined {
  const data = parseJson(text);
  if (kind === 'user') {
    const parsed = serverFrameSchema.safeParse(data);
    if (!parsed.success) return void onProblem(`invalid frame on /ws: ${text.slice(0, 200)}`);
    const frame = parsed.data;
    if (frame.type === 'error') onProblem(`${frame.code}: ${frame.message}`);
    if (frame.type === 'event' && frame.event.kind === 'group.message' && frame.event.groupId === groupId) return frame.event.message.cid;
    return undefined;
  }

  const parsed = groupSocketServerFrameSchema.safeParse(data);
  if (!parsed.success) return void onProblem(`invalid frame on the group socket: ${text.slice(0, 200)}`);
  const frame = parsed.data;
  if (frame.type === 'error') onProblem(`${frame.code}: ${frame.message}`);
  if (frame.type === 'group.entry' && frame.entry.kind === 'message' && frame.groupId === groupId) return frame.entry.message.cid;
  return undefined;
}

/** Message frames counted on arrival by quickMessageCid, waiting for their schema check. */
export class DeferredFrameCheck {
  private pending: Array<{ text: string; kind: SocketKind; cid: string }> = [];

  constructor(
    private readonly groupId: string,
    private readonly onProblem: (problem: string) => void,
  ) {}

  add(text: string, kind: SocketKind, cid: string): void {
    this.pending.push({ text, kind, cid });
  }

  /** Checks every pending frame and empties the list. */
  run(): void {
    const frames = this.pending;
    this.pending = [];
    for (const { text, kind, cid } of frames) {
      const checked = readMessageCid(text, kind, this.groupId, this.onProblem);
      if (checked !== cid) this.onProblem(`frame counted as message ${cid} carries ${checked ?? 'no group message'}: ${text.slice(0, 200)}`);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
