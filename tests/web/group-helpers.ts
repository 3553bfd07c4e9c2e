// Builders of group inbox events and group log entries for the group chat tests.

import type { InboxEvent } from '../../protocol/frames';
import type { GroupChange, GroupLogEntry, GroupMessage } from '../../protocol/groups';

export const GROUP = 'group-1';
export const CAROL = 'user-carol';

const BASE_TS = 1_700_000_000_000;

export function groupMessage(groupSeq: number, from: string, options: { text?: string; cid?: string; ts?: number; groupId?: string } = {}): GroupMessage {
  return {
    id: `gm-${options.groupId ?? GROUP}-${groupSeq}`,
    groupId: options.groupId ?? GROUP,
    from,
    cid: options.cid ?? `gcid-${from}-${groupSeq}`,
    content: { type: 'text', text: options.text ?? `group text ${groupSeq}` },
    groupSeq,
    ts: options.ts ?? BASE_TS + groupSeq * 1_000,
  };
}

export function groupMessageEvent(seq: number, message: GroupMessage): InboxEvent {
  return { kind: 'group.message', seq, ts: message.ts, groupId: message.groupId, message };
}

export function groupChangeEvent(seq: number, change: GroupChange, groupSeq?: number, groupId = GROUP): InboxEvent {
  const event: InboxEvent = { kind: 'group', seq, ts: BASE_TS + seq * 1_000, groupId, change };
  if (groupSeq !== undefined) event.groupSeq = groupSeq;
  return event;
}

export function messageEntry(message: GroupMessage): GroupLogEntry {
  return { kind: 'message', groupSeq: message.groupSeq, ts: message.ts, message };
}

export function changeEntry(groupSeq: number, change: GroupChange): GroupLogEntry {
  return { kind: 'change', groupSeq, ts: BASE_TS + groupSeq * 1_000, change };
}
