// The members' sockets of one group, held by its GroupDO with the hibernation
// API and tagged with the member's user id. A broadcast serializes each frame
// once and writes the same string to every open socket, so it makes no
// subrequest whatever the number of sockets.
//
// The open sockets and their attachments are also kept in memory, rebuilt
// from `ctx.getWebSockets()` when the object wakes up. A broadcast walks that
// map, so it requests no socket list from the runtime and reads no attachment.

import * as z from 'zod/mini';
import {
  CLOSE_GROUP_MEMBERSHIP_ENDED,
  type GroupSocketServerFrame,
  type ServerErrorFrame,
  type ServerGroupEntryFrame,
} from '../../protocol/frames';
import type { GroupLogEntry } from '../../protocol/groups';
import { validate } from '../validation';
import { upgradeResponse } from './sockets';

const groupSocketAttachmentSchema = z.object({
  userId: z.string(),
  groupId: z.string(),
});
export type GroupSocketAttachment = z.infer<typeof groupSocketAttachmentSchema>;

export function readGroupAttachment(ws: WebSocket): GroupSocketAttachment | undefined {
  const result = validate(groupSocketAttachmentSchema, ws.deserializeAttachment());
  return result.ok ? result.value : undefined;
}

/** Sends `frame` if the socket is still open; returns whether it was sent. */
export function sendGroupFrame(ws: WebSocket, frame: GroupSocketServerFrame): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false;
  ws.send(JSON.stringify(frame));
  return true;
}

export class GroupSockets {
  /** Open sockets in the order accepted, with their attachments. */
  private readonly open = new Map<WebSocket, GroupSocketAttachment>();

  constructor(private readonly ctx: DurableObjectState) {
    for (const ws of ctx.getWebSockets()) {
      const attachment = readGroupAttachment(ws);
      if (attachment && ws.readyState === WebSocket.OPEN) this.open.set(ws, attachment);
    }
  }

  /** Accepts a member's socket, hibernatable and tagged with the user id, and sends `group.welcome`. */
  accept(userId: string, groupId: string, headSeq: number): Response {
    const [client, server] = Object.values(new WebSocketPair());
    const attachment: GroupSocketAttachment = { userId, groupId };
    this.ctx.acceptWebSocket(server, [userId]);
    server.serializeAttachment(attachment);
    this.open.set(server, attachment);
    sendGroupFrame(server, { type: 'group.welcome', groupId, headSeq });
    return upgradeResponse(client);
  }

  /** Returns the attachment of an open socket, read from memory. */
  attachment(ws: WebSocket): GroupSocketAttachment | undefined {
    return this.open.get(ws) ?? readGroupAttachment(ws);
  }

  /** Forgets a socket that the client closed or that failed. */
  forget(ws: WebSocket): void {
    this.open.delete(ws);
  }

  /**
   * Sends each entry to every open socket, in the order given. Returns how
   * many sockets got them. A socket whose send throws, because it closed
   * before its close event ran, is dropped and the others still get the entry.
   */
  broadcast(groupId: string, entries: GroupLogEntry[]): number {
    if (entries.length === 0) return 0;
    for (const entry of entries) {
      const frame: ServerGroupEntryFrame = { type: 'group.entry', groupId, entry };
      const text = JSON.stringify(frame);
      for (const ws of this.open.keys()) {
        try {
          ws.send(text);
        } catch {
          this.open.delete(ws);
        }
      }
    }
    return this.open.size;
  }

  /** Closes every socket of `userId`, whose membership ended, so nothing is sent on them afterwards. */
  closeUser(userId: string, reason: string): void {
    for (const ws of this.ctx.getWebSockets(userId)) {
      this.open.delete(ws);
      closeEnded(ws, reason);
    }
  }

  /** Closes every socket, after the group was dissolved. */
  closeAll(reason: string): void {
    this.open.clear();
    for (const ws of this.ctx.getWebSockets()) closeEnded(ws, reason);
  }
}

/**
 * Completes an upgrade only to reject it with an `error` frame and the close
 * code CLOSE_GROUP_MEMBERSHIP_ENDED, because a browser cannot read the
 * status of a failed upgrade.
 */
export function rejectedGroupSocket(code: ServerErrorFrame['code'], message: string): Response {
  const [client, server] = Object.values(new WebSocketPair());
  server.accept();
  sendGroupFrame(server, { type: 'error', code, message });
  server.close(CLOSE_GROUP_MEMBERSHIP_ENDED, code);
  return upgradeResponse(client);
}

function closeEnded(ws: WebSocket, reason: string): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  ws.close(CLOSE_GROUP_MEMBERSHIP_ENDED, reason);
}
