// Output to every socket of one user: the open sockets of sessions that are
// not revoked, and frames sent to all of them, each serialized once.

import type { ServerBatchedFrame, ServerFrame } from '../../protocol/frames';
import { batchTexts, type OutboxSocket } from './frame-batches';
import type { RevokedSessions } from './revoked-sessions';
import { readAttachment, sendText } from './sockets';

export class UserSockets {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly revoked: RevokedSessions,
  ) {}

  /** Sends `frames` in order to every open socket of a session that is not revoked, serialized once for all of them. */
  broadcastBatch(frames: readonly ServerBatchedFrame[]): void {
    if (frames.length === 0) return;

    const sockets = this.open();
    if (sockets.length === 0) return;
    const texts = batchTexts(frames);
    for (const { ws } of sockets) {
      for (const text of texts) sendText(ws, text);
    }
  }

  /** Lists the open sockets of sessions that are not revoked. */
  open(): OutboxSocket[] {
    const sockets: OutboxSocket[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = readAttachment(ws);
      if (!attachment || this.revoked.has(attachment.sessionId)) continue;
      sockets.push({ ws, socketId: attachment.socketId });
    }
    return sockets;
  }

  /** Sends `frame` to every open socket of a session that is not revoked, except `exceptSocketId`. */
  broadcast(frame: ServerFrame, exceptSocketId?: string): void {
    let text: string | undefined;
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = readAttachment(ws);
      if (!attachment || attachment.socketId === exceptSocketId) continue;
      if (this.revoked.has(attachment.sessionId)) continue;
      text ??= JSON.stringify(frame);
      sendText(ws, text);
    }
  }
}
