// Live delivery on the group sockets. After each GroupDO operation, the log
// entries it appended go to every open member socket in group order. The
// sockets of members who left, were kicked or lost the group to dissolution
// are closed in the same synchronous step, so nothing reaches them afterwards.
//
// A Durable Object's output gate holds outgoing WebSocket frames until the
// storage writes before them are confirmed, so an entry never leaves before
// it is durable.

import type { GroupSocketServerFrame } from '../../protocol/frames';
import { GROUP_SYNC_PAGE_MAX } from '../../protocol/limits';
import type { GroupCore } from './group-core';
import type { GroupLog } from './group-log';
import { readGroupLog } from './group-messages';
import { parseClientFrame } from './client-frames';
import type { GroupSocketAttachment, GroupSockets } from './group-sockets';

export class GroupLive {
  /** The newest groupSeq sent to the sockets. Every operation publishes before it awaits, so after a wake-up the head is already sent. */
  private sentSeq: number;

  constructor(
    private readonly log: GroupLog,
    private readonly sockets: GroupSockets,
  ) {
    this.sentSeq = log.headSeq();
  }

  /** Accepts a member's socket, whose welcome names the head of the log. */
  accept(userId: string, groupId: string): Response {
    return this.sockets.accept(userId, groupId, this.log.headSeq());
  }

  /** Sends every entry appended since the last call to every open socket. */
  publish(groupId: string): void {
    for (;;) {
      const page = this.log.readPage(this.sentSeq, 0, GROUP_SYNC_PAGE_MAX);
      const last = page.entries.at(-1);
      if (!last) return;

      this.sockets.broadcast(groupId, page.entries);
      this.sentSeq = last.groupSeq;
      if (!page.hasMore) return;
    }
  }

  /** Publishes, then closes the sockets of users who are no longer members. */
  publishRemoval(groupId: string, removed: readonly string[], isMember: (userId: string) => boolean): void {
    this.publish(groupId);
    for (const userId of removed) {
      if (!isMember(userId)) this.sockets.closeUser(userId, 'membership ended');
    }
  }

  /** Publishes the `dissolved` entry, then closes every socket. */
  publishDissolution(groupId: string): void {
    this.publish(groupId);
    this.sockets.closeAll('group dissolved');
  }
}

/**
 * Builds the reply to one client frame on a group socket. Only `group.sync`
 * is accepted there, because messages go through the user's own socket (`/ws`).
 */
export function answerGroupSocketFrame(core: GroupCore, attachment: GroupSocketAttachment, data: string | ArrayBuffer): GroupSocketServerFrame {
  const parsed = parseClientFrame(data);
  if (!parsed.ok) return parsed.error;

  const frame = parsed.frame;
  switch (frame.type) {
    case 'group.sync':
      if (frame.groupId !== attachment.groupId) {
        return { type: 'error', code: 'invalid_request', message: `This socket belongs to group ${attachment.groupId}, not ${frame.groupId}.` };
      }
      return readGroupLog(core, attachment.userId, frame.groupId, frame.after, frame.limit);
    case 'send':
    case 'sends':
    case 'sync':
    case 'read':
    case 'group.send':
      return { type: 'error', code: 'unknown_frame', message: `A group socket accepts only group.sync, not ${frame.type}; send it on /ws.` };
    default: {
      const unreachable: never = frame;
      throw new Error(`Unhandled client frame ${JSON.stringify(unreachable)}`);
    }
  }
}
