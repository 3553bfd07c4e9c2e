// A Feige WebSocket client for the bench: the PWA's handshake (subprotocols
// `feige.v1` and `bearer.<token>`, then `welcome`) with every server frame
// checked against its schema in protocol/frames.ts before use.

import WebSocket from 'ws';
import {
  BEARER_SUBPROTOCOL_PREFIX,
  PROTOCOL_SUBPROTOCOL,
  serverAckSchema,
  serverErrorSchema,
  serverEventSchema,
  serverSyncPageSchema,
  serverWelcomeSchema,
  type InboxEvent,
  type ServerAckFrame,
  type ServerErrorFrame,
  type ServerSyncPageFrame,
  type ServerWelcomeFrame,
} from '../../protocol/frames';

export interface FeigeSocketHandlers {
  onEvent?(event: InboxEvent): void;
  onAck?(ack: ServerAckFrame): void;
  onSyncPage?(page: ServerSyncPageFrame): void;
  onError?(error: ServerErrorFrame): void;
  /** A frame that failed its schema, or the socket failed; the bench counts it as an error. */
  onProblem?(problem: string): void;
}

export class FeigeSocket {
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
