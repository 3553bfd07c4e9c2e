// Writes group messages and group changes into the local database, from
// inbox events (`group.message`, `group`) and from `group.sync` pages. Both
// paths key a message by its id and a logged change by its groupSeq, so an
// entry that arrives both ways is stored once. The callers run these inside
// the transaction that also stores lastSeq or the group's lastGroupSeq.

import type { InboxEvent } from '../../../protocol/frames';
import type { GroupChange, GroupMessage } from '../../../protocol/groups';
import type { LocalContent, ReceivedContent, StoredConversation, StoredMessage } from './db';
import {
  changeActor,
  groupConversationId,
  groupMessageRecord,
  newGroupConversation,
  newStoredGroup,
  stateAfterChange,
  systemLineKey,
  type StoredGroup,
} from './group-records';
import { updatePreview } from './records';
import type { InboxTx } from './transactions';

type GroupMessageEvent = Extract<InboxEvent, { kind: 'group.message' }>;
type GroupChangeEvent = Extract<InboxEvent, { kind: 'group' }>;
type NoticeChange = Extract<GroupChange, { type: 'application' | 'application_result' }>;

/** Decrypted content of group messages, by message id. */
export type OpenedGroupContents = ReadonlyMap<string, ReceivedContent>;

export async function applyGroupMessageEvent(
  tx: InboxTx,
  me: string,
  event: GroupMessageEvent,
  opened: OpenedGroupContents,
): Promise<string | null> {
  const group = await loadGroup(tx, event.groupId);
  // Only `inbox` groups put messages into inboxes, in group order.
  group.delivery ??= 'inbox';

  const stored = await storeGroupMessage(tx, me, event.message, opened, event.seq);
  if (group.delivery === 'inbox') group.lastGroupSeq = Math.max(group.lastGroupSeq, event.message.groupSeq);
  await tx.objectStore('groups').put(group);
  return stored;
}

export async function applyGroupChangeEvent(tx: InboxTx, me: string, event: GroupChangeEvent): Promise<string | null> {
  const group = await loadGroup(tx, event.groupId);
  const conversationId = await storeGroupChange(tx, me, group, {
    groupSeq: event.groupSeq,
    ts: event.ts,
    change: event.change,
    inboxSeq: event.seq,
  });

  // A pull group's log is read only with group.sync, so its position moves only there.
  if (group.delivery === 'inbox' && event.groupSeq !== undefined) {
    group.lastGroupSeq = Math.max(group.lastGroupSeq, event.groupSeq);
  }
  await tx.objectStore('groups').put(group);
  return conversationId;
}

export async function loadGroup(tx: InboxTx, groupId: string): Promise<StoredGroup> {
  return (await tx.objectStore('groups').get(groupId)) ?? newStoredGroup(groupId);
}

/**
 * Stores one group message and returns its conversation id, or null for a
 * control message, which stores nothing. An own message replaces its pending
 * copy and leaves the outbox.
 */
export async function storeGroupMessage(
  tx: InboxTx,
  me: string,
  message: GroupMessage,
  opened: OpenedGroupContents,
  inboxSeq: number | undefined,
): Promise<string | null> {
  const mine = message.from === me;
  const messages = tx.objectStore('messages');
  const content = opened.get(message.id) ?? (await resolveGroupContent(tx, me, message));

  if (mine) await deleteFromOutbox(tx, message.cid);
  if (content.type === 'control') return null;
  if (mine) await messages.delete(message.cid);

  const previous = await messages.get(message.id);
  const record = groupMessageRecord(message, content, inboxSeq ?? previous?.seq);
  await messages.put(record);

  const conversation = await touchGroupConversation(tx, message.groupId, record);
  const alreadyRead = inboxSeq !== undefined && inboxSeq <= conversation.lastReadSeq;
  if (previous === undefined && !mine && !alreadyRead) conversation.unread += 1;
  await tx.objectStore('conversations').put(conversation);
  return conversation.id;
}

export interface ChangeEntry {
  groupSeq: number | undefined;
  ts: number;
  change: GroupChange;
  /** The inbox seq when the change came as an inbox event. */
  inboxSeq: number | undefined;
}

/**
 * Stores a group change as a system line and applies it to `group` (the
 * caller writes `group` back). Application notices go to `groupNotices`
 * instead and show in no conversation.
 */
export async function storeGroupChange(tx: InboxTx, me: string, group: StoredGroup, entry: ChangeEntry): Promise<string | null> {
  const { change } = entry;
  if (change.type === 'application' || change.type === 'application_result') {
    await storeNotice(tx, group.groupId, change, entry.ts);
    return null;
  }

  applyToGroup(group, change, me);
  // The owner's `joined` event after `created` is no log entry; `created` already shows as a line.
  if (change.type === 'joined' && entry.groupSeq === undefined) return null;

  const messages = tx.objectStore('messages');
  const key = systemLineKey(group.groupId, entry.groupSeq, entry.inboxSeq);
  const line: StoredMessage = {
    key,
    id: key,
    cid: key,
    conversationId: groupConversationId(group.groupId),
    from: changeActor(change),
    to: group.groupId,
    content: { type: 'system', change },
    ts: entry.ts,
    status: 'sent',
  };
  if (entry.groupSeq !== undefined) line.groupSeq = entry.groupSeq;
  if (entry.inboxSeq !== undefined) line.seq = entry.inboxSeq;
  const previous = await messages.get(key);
  if (previous?.seq !== undefined) line.seq = previous.seq;
  await messages.put(line);

  const conversation = await touchGroupConversation(tx, group.groupId, line);
  const name = nameAfterChange(change);
  if (conversation.group && name !== null) conversation.group.name = name;
  if (conversation.group) conversation.group.state = group.state;
  if (conversation.group && change.type === 'info_changed' && change.fields.avatarKey !== undefined) {
    conversation.group.avatarKey = change.fields.avatarKey;
  }
  await tx.objectStore('conversations').put(conversation);
  return conversation.id;
}

/** Applies a change to the local group record: membership state, delivery, and the cached GroupInfo. */
function applyToGroup(group: StoredGroup, change: GroupChange, me: string): void {
  const state = stateAfterChange(change, me);
  if (state !== null) group.state = state;
  if (change.type === 'joined' && change.userId === me) group.delivery = change.delivery;

  // Member counts, roles and info changed on the server: the next view fetches GroupInfo again.
  group.infoFetchedAt = 0;
  const info = group.info;
  if (!info) return;

  if (change.type === 'info_changed') Object.assign(info, definedFields(change.fields));
  if (change.type === 'role_changed' && change.userId === me) info.myRole = change.role;
  if (change.type === 'owner_transferred') {
    info.ownerId = change.to;
    if (change.to === me) info.myRole = 'owner';
    else if (change.from === me) info.myRole = 'admin';
  }
  if (state === 'removed' || state === 'dissolved') info.myRole = null;
}

function definedFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function nameAfterChange(change: GroupChange): string | null {
  if (change.type === 'created') return change.name;
  if (change.type === 'info_changed' && change.fields.name !== undefined) return change.fields.name;
  return null;
}

async function storeNotice(tx: InboxTx, groupId: string, change: NoticeChange, ts: number): Promise<void> {
  const key = `${groupId}:${change.applicationId}:${change.type}`;
  await tx.objectStore('groupNotices').put({ key, groupId, change, ts });
}

async function touchGroupConversation(
  tx: InboxTx,
  groupId: string,
  record: Pick<StoredMessage, 'cid' | 'from' | 'content' | 'ts'>,
): Promise<StoredConversation> {
  const conversations = tx.objectStore('conversations');
  const conversation = (await conversations.get(groupConversationId(groupId))) ?? newGroupConversation(groupId, '');
  updatePreview(conversation, record, 'sent');
  return conversation;
}

/**
 * Returns the content of a group message that was not decrypted on its way
 * here: `text` as it is, and for an own `group_e2e` message the plaintext the
 * local record kept from the composer.
 */
async function resolveGroupContent(tx: InboxTx, me: string, message: GroupMessage): Promise<LocalContent> {
  const content = message.content;
  switch (content.type) {
    case 'text':
      return { type: 'text', text: content.text };
    case 'group_e2e': {
      if (message.from !== me) return { type: 'unavailable', reason: 'undecryptable' };

      const messages = tx.objectStore('messages');
      const local = (await messages.get(message.cid)) ?? (await messages.get(message.id));
      if (local?.content.type === 'text') return local.content;
      return { type: 'unavailable', reason: 'not_for_this_device' };
    }
    default: {
      const unreachable: never = content;
      throw new Error(`unknown group message content ${JSON.stringify(unreachable)}`);
    }
  }
}

async function deleteFromOutbox(tx: InboxTx, cid: string): Promise<void> {
  const outbox = tx.objectStore('outbox');
  const key = await outbox.index('by-cid').getKey(cid);
  if (key !== undefined) await outbox.delete(key);
}
