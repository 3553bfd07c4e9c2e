// A Feige WebSocket client for the bench: the PWA's handshake (subprotocols
// `feige.v1` and `bearer.<token>`, then `welcome`) with every server frame
// checked against its schema in protocol/frames.ts before use. `send` frames
// queued in one turn of the event loop go out together as one `sends` frame.

import WebSocket from 'ws';
import {
  BEARER_SUBPROTOCOL_PREFIX,
  PROTOCOL_SUBPROTOCOL,
  serverAckSchema,
  serverBatchSchema,
  serverErrorSchema,
  serverEventSchema,
  serverSyncPageSchema,
  serverWelcomeSchema,
  type InboxEvent,
  type ServerAckFrame,
  type ServerBatchedFrame,
  type ServerErrorFrame,
  type ServerSyncPageFrame,
  type ServerWelcomeFrame,
} from '../../protocol/frames';
import { FRAME_MAX_BYTES, SENDS_PER_FRAME_MAX } from '../../protocol/limits';

export interface FeigeSocketHandlers {
  onEvent?(event: InboxEvent): void;
  onAck?(ack: ServerAckFrame): void;
  onSyncPage?(page: ServerSyncPageFrame): void;
  onError?(error: ServerErrorFrame): void;
  /** A frame that failed its schema, or the socket failed; the bench counts it as an error. */
  onProblem?(problem: string): void;
}

/** The JSON around the `send` frames of a `sends` frame, as JSON.stringify writes it. */
const SENDS_PREFIX = '{"type":"sends","sends":[';
const SENDS_SUFFIX = ']}';

export class FeigeSocket {
  /** `send` frames as JSON text, waiting for the end of the current turn. */
  private queued: string[] = [];

  private constructor(
    readonly socket: WebSocket,
    readonly welcome: ServerWelcomeFrame,
  ) {}

  /** Opens a socket and resolves with it once `welcome` arrived; rejects on an error frame, a close or `timeoutMs`. */
  static open(origin: string, token: string, handlers: FeigeSocketHandlers, timeoutMs: number): Promise<FeigeSocket> {
    const url = `${origin.replace(/^http/, 'ws')}/ws`;
    const socket = new WebSocket(url, [PROTOCOL_SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${token}`], {
      perMessageDeflate: false,
    });

    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`no welcome frame from ${url} within ${timeoutMs} ms`));
      }, timeoutMs);

      const fail = (reason: string) => {
        clearTimeout(timer);
        socket.terminate();
        reject(new Error(reason));
      };
      socket.once('error', (error) => fail(`socket to ${url} failed: ${error.message}`));
      socket.once('close', (code) => fail(`socket to ${url} closed with code ${code} before welcome`));

      socket.once('message', (data) => {
        const welcome = serverWelcomeSchema.safeParse(parseJson(data));
        if (!welcome.success) return fail(`first frame from ${url} is not welcome: ${String(data).slice(0, 200)}`);

        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.removeAllListeners('close');
        socket.on('error', (error) => handlers.onProblem?.(`socket error: ${error.message}`));
        socket.on('message', (frame) => dispatch(frame, handlers));
        resolve(new FeigeSocket(socket, welcome.data));
      });
    });
  }

  sendText(frame: string): void {
    this.socket.send(frame);
  }

  /**
   * Queues a `send` frame (JSON text). At the end of the current turn the
   * queued frames go out in order as `sends` frames of at most
   * SENDS_PER_FRAME_MAX sends and FRAME_MAX_BYTES, a frame alone as itself.
   */
  queueSend(frame: string): void {
    this.queued.push(frame);
    if (this.queued.length === 1) queueMicrotask(() => this.flushSends());
  }

  private flushSends(): void {
    const frames = this.queued;
    this.queued = [];

    let run: string[] = [];
    let runBytes = SENDS_PREFIX.length + SENDS_SUFFIX.length;
    for (const frame of frames) {
      // One byte more for the comma, which overcounts the first frame by one.
      const bytes = Buffer.byteLength(frame) + 1;
      if (run.length === SENDS_PER_FRAME_MAX || (run.length > 0 && runBytes + bytes > FRAME_MAX_BYTES)) {
        this.sendRun(run);
        run = [];
        runBytes = SENDS_PREFIX.length + SENDS_SUFFIX.length;
      }
      run.push(frame);
      runBytes += bytes;
    }
    if (run.length > 0) this.sendRun(run);
  }

  private sendRun(run: readonly string[]): void {
    this.socket.send(run.length === 1 ? run[0]! : SENDS_PREFIX + run.join(',') + SENDS_SUFFIX);
  }

  /** Asks for inbox events after `after`; the pages arrive at onSyncPage. */
  sync(after: number): void {
    this.socket.send(JSON.stringify({ type: 'sync', after }));
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close(1000);
    });
  }

  terminate(): void {
    this.socket.terminate();
  }
}

function parseJson(data: WebSocket.RawData): unknown {
  try {
    return JSON.parse(String(data));
  } catch {
    return undefined;
  }
}

function dispatch(data: WebSocket.RawData, handlers: FeigeSocketHandlers): void {
  const frame = parseJson(data);
  const type = typeof frame === 'object' && frame !== null && 'type' in frame ? frame.type : undefined;

  switch (type) {
    case 'batch': {
      const parsed = serverBatchSchema.safeParse(frame);
      if (parsed.success) for (const inner of parsed.data.frames) dispatchBatched(inner, handlers);
      else handlers.onProblem?.(`invalid batch frame: ${String(data).slice(0, 200)}`);
      return;
    }
    case 'event': {
      const parsed = serverEventSchema.safeParse(frame);
      if (parsed.success) handlers.onEvent?.(parsed.data.event);
      else handlers.onProblem?.(`invalid event frame: ${String(data).slice(0, 200)}`);
      return;
    }
    case 'ack': {
      const parsed = serverAckSchema.safeParse(frame);
      if (parsed.success) handlers.onAck?.(parsed.data);
      else handlers.onProblem?.(`invalid ack frame: ${String(data).slice(0, 200)}`);
      return;
    }
    case 'sync.page': {
      const parsed = serverSyncPageSchema.safeParse(frame);
      if (parsed.success) handlers.onSyncPage?.(parsed.data);
      else handlers.onProblem?.(`invalid sync.page frame: ${String(data).slice(0, 200)}`);
      return;
    }
    case 'error': {
      const parsed = serverErrorSchema.safeParse(frame);
      if (parsed.success) handlers.onError?.(parsed.data);
      else handlers.onProblem?.(`invalid error frame: ${String(data).slice(0, 200)}`);
      return;
    }
    case 'pong':
    case 'prekeys.low':
      return;
    default:
      handlers.onProblem?.(`unexpected frame: ${String(data).slice(0, 200)}`);
  }
}

/** Hands one frame of a `batch`, already checked by the batch's schema, to its handler. */
function dispatchBatched(frame: ServerBatchedFrame, handlers: FeigeSocketHandlers): void {
  switch (frame.type) {
    case 'event':
      handlers.onEvent?.(frame.event);
      return;
    case 'ack':
      handlers.onAck?.(frame);
      return;
    case 'error':
      handlers.onError?.(frame);
      return;
    default: {
      const unreachable: never = frame;
      handlers.onProblem?.(`unexpected frame in a batch: ${JSON.stringify(unreachable).slice(0, 200)}`);
    }
  }
}
