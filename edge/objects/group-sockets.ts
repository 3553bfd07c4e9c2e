// The members' sockets of one group, held by its GroupDO with the hibernation
// API and tagged with the member's user id. A broadcast serializes each frame
// once and writes the same string to every open socket, so it makes no
// subrequest whatever the number of sockets.

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
  constructor(private readonly ctx: DurableObjectState) {}

  /** Accepts a member's socket, hibernatable and tagged with the user id, and sends `group.welcome`. */
  accept(userId: string, groupId: string, headSeq: number): Response {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, [userId]);
    server.serializeAttachment({ userId, groupId } satisfies GroupSocketAttachment);
    sendGroupFrame(server, { type: 'group.welcome', groupId, headSeq });
    return upgradeResponse(client);
  }

  /** Sends each entry to every open socket, in the order given. Returns how many sockets were open. */
  broadcast(groupId: string, entries: GroupLogEntry[]): number {
    if (entries.length === 0) return 0;
    const sockets = this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN);
    for (const entry of entries) {
      const frame: ServerGroupEntryFrame = { type: 'group.entry', groupId, entry };
      const text = JSON.stringify(frame);
      for (const ws of sockets) ws.send(text);
    }
    return sockets.length;
  }

  /** Closes every socket of `userId`, whose membership ended, so nothing is sent on them afterwards. */
  closeUser(userId: string, reason: string): void {
    for (const ws of this.ctx.getWebSockets(userId)) closeEnded(ws, reason);
  }

  /** Closes every socket, after the group was dissolved. */
  closeAll(reason: string): void {
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
