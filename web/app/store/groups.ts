// Group records outside the event stream: GroupInfo fetched over HTTP, the
// membership state learned from a refused `group.sync`, nicknames, and the
// group messages the composer queues.

import type { GroupInfo } from '../../../protocol/groups';
import type { FeigeDb, StoredMessage } from './db';
import type { GroupE2eContent } from '../e2e/group-crypto';
import {
  groupConversationId,
  newGroupConversation,
  newStoredGroup,
  type GroupMembershipState,
  type StoredGroup,
  type StoredGroupNotice,
} from './group-records';
import { writeQueuedMessage } from './outbox';
import { runAtomically } from './transactions';

export async function getStoredGroup(db: FeigeDb, groupId: string): Promise<StoredGroup | undefined> {
  return db.get('groups', groupId);
}

/** Groups read with `group.sync`: `pull` delivery and still a member. */
export async function listPullGroups(db: FeigeDb): Promise<StoredGroup[]> {
  const all = await db.getAll('groups');
  return all.filter((group) => group.delivery === 'pull' && group.state === 'member');
}

export async function listGroupNotices(db: FeigeDb, groupId: string): Promise<StoredGroupNotice[]> {
  return db.getAllFromIndex('groupNotices', 'by-group', groupId);
}

/**
 * Keeps a fetched GroupInfo and names the conversation after it. A GroupInfo
 * without a role means the user is no longer a member; a dissolved group
 * keeps its state.
 */
export async function saveGroupInfo(db: FeigeDb, info: GroupInfo, fetchedAt: number): Promise<void> {
  const tx = db.transaction(['groups', 'conversations'], 'readwrite');

  await runAtomically(tx, async () => {
    const groups = tx.objectStore('groups');
    const group = (await groups.get(info.id)) ?? newStoredGroup(info.id);
    group.info = info;
    group.infoFetchedAt = fetchedAt;
    group.delivery = info.delivery;
    if (info.myRole !== null) group.state = 'member';
    else if (group.state === 'member') group.state = 'removed';
    await groups.put(group);

    const conversations = tx.objectStore('conversations');
    const conversation = await conversations.get(groupConversationId(info.id));
    if (!conversation?.group) return;
    conversation.group = { ...conversation.group, name: info.name, state: group.state, avatarKey: info.avatarKey };
    await conversations.put(conversation);
  });
}

/** Records a membership state the server reported through a refused `group.sync`. */
export async function setGroupState(db: FeigeDb, groupId: string, state: GroupMembershipState): Promise<void> {
  const tx = db.transaction(['groups', 'conversations'], 'readwrite');

  await runAtomically(tx, async () => {
    const groups = tx.objectStore('groups');
    const group = (await groups.get(groupId)) ?? newStoredGroup(groupId);
    await groups.put({ ...group, state });

    const conversations = tx.objectStore('conversations');
    const conversation = await conversations.get(groupConversationId(groupId));
    if (!conversation?.group) return;
    await conversations.put({ ...conversation, group: { ...conversation.group, state } });
  });
}

export async function saveGroupNicknames(db: FeigeDb, groupId: string, nicknames: Record<string, string>): Promise<void> {
  const tx = db.transaction('groups', 'readwrite');

  await runAtomically(tx, async () => {
    const group = (await tx.store.get(groupId)) ?? newStoredGroup(groupId);
    await tx.store.put({ ...group, nicknames });
  });
}

export interface NewGroupMessage {
  cid: string;
  from: string;
  groupId: string;
  text: string;
  encryption: 'end_to_end' | 'transport';
  /** Local clock in ms; the server's time replaces it on ack. */
  createdAt: number;
}

/** Writes the outbox entry, the pending message and the preview of a group message in one transaction. */
export async function queueGroupMessage(db: FeigeDb, message: NewGroupMessage): Promise<StoredMessage> {
  const entry = {
    cid: message.cid,
    conversationId: groupConversationId(message.groupId),
    to: message.groupId,
    content: { type: 'text', text: message.text } as const,
    groupId: message.groupId,
    groupEncryption: message.encryption,
    createdAt: message.createdAt,
  };
  return writeQueuedMessage(db, entry, message.from, () => newGroupConversation(message.groupId, ''));
}

/** Keeps the sender-key ciphertext made for an outbox entry, so that every resend carries the same one. */
export async function storeGroupContent(db: FeigeDb, cid: string, content: GroupE2eContent): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');

  await runAtomically(tx, async () => {
    const key = await tx.store.index('by-cid').getKey(cid);
    if (key === undefined) return;
    const entry = await tx.store.get(key);
    if (entry) await tx.store.put({ ...entry, groupContent: content });
  });
}
