// Local records of groups: the group itself (cached GroupInfo, membership
// state, read position in the group log) and the notices for the group
// management screens. Builders shared by the inbox, ack and page writers.

import type { GroupChange, GroupDelivery, GroupInfo, GroupMessage } from '../../../protocol/groups';
import type { LocalContent, StoredConversation, StoredMessage } from './db';
import { newConversation } from './records';

/** `member` until the user leaves or is kicked (`removed`) or the group is dissolved; a later join makes it `member` again. */
export type GroupMembershipState = 'member' | 'removed' | 'dissolved';

const GROUP_CONVERSATION_PREFIX = 'g:';

export interface StoredGroup {
  groupId: string;
  /** The newest GroupInfo from the server, kept so that the chat works offline; null before the first fetch. */
  info: GroupInfo | null;
  /** Local time of that fetch; 0 marks the copy stale, for example after a member joined. */
  infoFetchedAt: number;
  state: GroupMembershipState;
  /** From the `joined` marker or GroupInfo; null while neither arrived. */
  delivery: GroupDelivery | null;
  /** The highest groupSeq stored locally; `group.sync` continues after it. */
  lastGroupSeq: number;
  /** Group nicknames by user id, from the member list; only members who set one. */
  nicknames: Record<string, string>;
}

/** An `application` or `application_result` change, kept for the group management screens and not shown in the chat. */
export interface StoredGroupNotice {
  /** `<groupId>:<applicationId>:<change type>`, so a replayed change overwrites its own record. */
  key: string;
  groupId: string;
  change: Extract<GroupChange, { type: 'application' | 'application_result' }>;
  ts: number;
}

export function groupConversationId(groupId: string): string {
  return GROUP_CONVERSATION_PREFIX + groupId;
}

/** Returns the group id of a group conversation id, or null for a 1:1 one. */
export function groupIdOfConversation(conversationId: string): string | null {
  if (!conversationId.startsWith(GROUP_CONVERSATION_PREFIX)) return null;
  const groupId = conversationId.slice(GROUP_CONVERSATION_PREFIX.length);
  return groupId === '' ? null : groupId;
}

export function newStoredGroup(groupId: string): StoredGroup {
  return { groupId, info: null, infoFetchedAt: 0, state: 'member', delivery: null, lastGroupSeq: 0, nicknames: {} };
}

export function newGroupConversation(groupId: string, name: string): StoredConversation {
  return { ...newConversation(groupConversationId(groupId), groupId), group: { groupId, name, state: 'member' } };
}

/** Builds the record of a group message the group log stored, with `content` as this device shows it. */
export function groupMessageRecord(message: GroupMessage, content: LocalContent, seq: number | undefined): StoredMessage {
  const record: StoredMessage = {
    key: message.id,
    id: message.id,
    cid: message.cid,
    conversationId: groupConversationId(message.groupId),
    from: message.from,
    to: message.groupId,
    content,
    ts: message.ts,
    groupSeq: message.groupSeq,
    status: 'sent',
  };
  if (seq !== undefined) record.seq = seq;
  return record;
}

/** Returns the key of a system line: logged changes by groupSeq, so the inbox and `group.sync` copies are one record. */
export function systemLineKey(groupId: string, groupSeq: number | undefined, inboxSeq: number | undefined): string {
  if (groupSeq !== undefined) return `gs:${groupId}:${groupSeq}`;
  return `gi:${groupId}:${inboxSeq ?? 0}`;
}

/** Returns who made a change, shown as the sender of its system line. */
export function changeActor(change: GroupChange): string {
  switch (change.type) {
    case 'created':
    case 'info_changed':
    case 'dissolved':
    case 'role_changed':
    case 'kicked':
    case 'application_result':
      return change.by;
    case 'joined':
      return change.by ?? change.userId;
    case 'left':
      return change.userId;
    case 'owner_transferred':
      return change.from;
    case 'application':
      return change.inviterId ?? change.applicantId;
    default: {
      const unreachable: never = change;
      throw new Error(`unknown group change ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Returns the membership state of `me` after `change`, or null when it leaves the state as it was. */
export function stateAfterChange(change: GroupChange, me: string): GroupMembershipState | null {
  switch (change.type) {
    case 'joined':
      return change.userId === me ? 'member' : null;
    case 'created':
      return change.by === me ? 'member' : null;
    case 'left':
    case 'kicked':
      return change.userId === me ? 'removed' : null;
    case 'dissolved':
      return 'dissolved';
    case 'role_changed':
    case 'owner_transferred':
    case 'info_changed':
    case 'application':
    case 'application_result':
      return null;
    default: {
      const unreachable: never = change;
      throw new Error(`unknown group change ${JSON.stringify(unreachable)}`);
    }
  }
}
