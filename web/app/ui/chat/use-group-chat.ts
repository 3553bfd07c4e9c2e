// The local records a group chat shows, reloaded whenever local data
// changes, and the server work that keeps them current while it is open:
// GroupInfo, nicknames and, for `pull` groups, a read of new log entries.

import { useEffect, useState } from 'preact/hooks';
import { dataVersion, type Account } from '../../state/account';
import { syncGroup } from '../../state/group-actions';
import { loadGroupInfo, refreshNicknames } from '../../state/group-info';
import { getConversation } from '../../store/conversations';
import type { StoredConversation } from '../../store/db';
import { groupConversationId, type StoredGroup } from '../../store/group-records';
import { getStoredGroup } from '../../store/groups';

export interface GroupChatRecords {
  conversation: StoredConversation | undefined;
  group: StoredGroup | undefined;
  loaded: boolean;
}

export function useGroupChat(account: Account, groupId: string): GroupChatRecords {
  const [records, setRecords] = useState<GroupChatRecords>({ conversation: undefined, group: undefined, loaded: false });
  const version = dataVersion.value;

  useEffect(() => {
    let current = true;
    Promise.all([getConversation(account.db, groupConversationId(groupId)), getStoredGroup(account.db, groupId)])
      .then(([conversation, group]) => {
        if (current) setRecords({ conversation, group, loaded: true });
      })
      .catch((error: unknown) => console.error('[chat] reading the group failed', { groupId, error }));
    return () => {
      current = false;
    };
  }, [account, groupId, version]);

  // A stored change (a join, a kick, an info change) zeroes infoFetchedAt, so the info is fetched again.
  const infoOutdated = records.group?.infoFetchedAt === 0;
  useEffect(() => {
    loadGroupInfo(account, groupId)
      .then((info) => (info ? refreshNicknames(account, info) : undefined))
      .catch((error: unknown) => console.warn('[chat] refreshing the group failed', { groupId, error }));
  }, [account, groupId, infoOutdated]);

  usePullSync(account, groupId);
  return records;
}

/**
 * Reads the group log once when the chat opens; syncGroup skips groups that
 * are not `pull`. Live entries come from the group's socket
 * (state/group-streams.ts), and this read covers a group past that socket cap.
 */
function usePullSync(account: Account, groupId: string): void {
  useEffect(() => {
    syncGroup(account, groupId).catch((error: unknown) => console.warn('[chat] reading the group log failed', { groupId, error }));
  }, [account, groupId]);
}
