import type { Page, WebSocket } from 'playwright-core';
import {
  clientFrameSchema,
  serverFrameSchema,
  type ClientFrame,
  type InboxEvent,
  type ServerFrame,
} from '../../../protocol/frames';

/** One WebSocket frame seen by the browser, in the order frames were seen. */
export interface FrameRecord {
  direction: 'sent' | 'received';
  /** Index of the page in the order its context opened pages, starting at 0. */
  pageIndex: number;
  payload: string;
  at: number;
}

/**
 * Console errors, uncaught page errors and WebSocket frames of every page of
 * one browser context, kept so that a failing test can show what the page saw.
 */
export class PageLog {
  readonly consoleErrors: string[] = [];
  readonly pageErrors: string[] = [];
  readonly frames: FrameRecord[] = [];
  private pageCount = 0;

  attach(page: Page): void {
    const pageIndex = this.pageCount++;

    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(`[page ${pageIndex}] ${message.text()}`);
    });
    page.on('pageerror', (error) => {
      this.pageErrors.push(`[page ${pageIndex}] ${error.stack ?? error.message}`);
    });
    page.on('websocket', (socket) => this.recordFrames(socket, pageIndex));
  }

  /** Server frames received so far that pass the protocol schema, in arrival order. */
  receivedFrames(): ServerFrame[] {
    return this.frames
      .filter((frame) => frame.direction === 'received')
      .flatMap((frame) => {
        const parsed = serverFrameSchema.safeParse(parseJson(frame.payload));
        return parsed.success ? [parsed.data] : [];
      });
  }

  /** Client frames sent so far that pass the protocol schema, in send order. */
  sentFrames(): ClientFrame[] {
    return this.frames
      .filter((frame) => frame.direction === 'sent')
      .flatMap((frame) => {
        const parsed = clientFrameSchema.safeParse(parseJson(frame.payload));
        return parsed.success ? [parsed.data] : [];
      });
  }

  /** Distinct cids of the `send` frames sent so far; a resend of one cid counts once. */
  sentMessageCids(): string[] {
    const cids = this.sentFrames().flatMap((frame) => (frame.type === 'send' ? [frame.cid] : []));
    return [...new Set(cids)];
  }

  /** Cids of the chat messages received so far in live events and sync pages. */
  receivedMessageCids(): string[] {
    const cids: string[] = [];
    for (const frame of this.receivedFrames()) {
      for (const event of inboxEventsIn(frame)) {
        if (event.kind === 'message') cids.push(event.message.cid);
      }
    }
    return cids;
  }

  /** Text block for a failure report: page errors, console errors and the last frames. */
  summary(frameCount = 40): string {
    const lines: string[] = [];
    lines.push(`page errors (${this.pageErrors.length}):`, ...this.pageErrors.map(indent));
    lines.push(`console errors (${this.consoleErrors.length}, last 20):`);
    lines.push(...this.consoleErrors.slice(-20).map(indent));
    lines.push(`WebSocket frames (${this.frames.length}, last ${frameCount}):`);
    for (const frame of this.frames.slice(-frameCount)) {
      const arrow = frame.direction === 'sent' ? '->' : '<-';
      lines.push(indent(`[page ${frame.pageIndex}] ${arrow} ${truncate(frame.payload, 300)}`));
    }
    return lines.join('\n');
  }

  private recordFrames(socket: WebSocket, pageIndex: number): void {
    const record = (direction: FrameRecord['direction'], payload: string | Buffer) => {
      this.frames.push({ direction, pageIndex, payload: payload.toString(), at: Date.now() });
    };
    socket.on('framesent', ({ payload }) => record('sent', payload));
    socket.on('framereceived', ({ payload }) => record('received', payload));
    socket.on('close', () => record('received', `(socket ${socket.url()} closed)`));
  }
}

/** Returns the inbox events a server frame carries: one for a live event, a page for a sync answer. */
function inboxEventsIn(frame: ServerFrame): InboxEvent[] {
  if (frame.type === 'event') return [frame.event];
  if (frame.type === 'sync.page') return frame.events;
  return [];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function indent(line: string): string {
  return `  ${line}`;
}

function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength)}… (${text.length} chars)`;
}
