// The seam between group chat and sender-key encryption. Group chat
// (web/app/state, web/app/store) calls these for groups whose
// GroupInfo.encryption is `end_to_end`; EndToEnd implements them with
// web/app/crypto/sender-key.ts. docs/groups.md describes the scheme.

import type { GroupMessage, GroupMessageContent } from '../../../protocol/groups';
import type { ReceivedContent } from '../store/db';

export type GroupE2eContent = Extract<GroupMessageContent, { type: 'group_e2e' }>;

export interface GroupCrypto {
  /**
   * Encrypts `text` with this device's sender key for the group. Before the
   * first message, and after any member left or was removed, it makes a new
   * sender key and hands it over the 1:1 sessions to every device of every
   * current member, the own other devices included. A device that joined
   * later gets the current key the same way. The key travels as control
   * messages at the front of the outbox: a call that queues them requests a
   * flush and rejects with DistributionPendingError (group-send.ts), and a
   * later call waits until they are acknowledged, so the result can be sent
   * at once with `group.send` and arrives after the key.
   */
  sealGroupText(groupId: string, text: string): Promise<GroupE2eContent>;

  /**
   * Decrypts `group_e2e` messages, from `group.message` inbox events or
   * `group.page` entries. Returns content by message id; a message this
   * device cannot open gets `{type: 'unavailable'}`, and `text` content of
   * transport-encrypted groups is returned as it is.
   */
  openGroupMessages(messages: readonly GroupMessage[]): Promise<Map<string, ReceivedContent>>;

  /** A member left or was removed: the next `sealGroupText` makes and hands out a new sender key. */
  groupMembersRemoved(groupId: string): Promise<void>;
}
