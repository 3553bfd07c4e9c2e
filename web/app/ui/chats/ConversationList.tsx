// The list of conversations, newest activity first, read from IndexedDB and
// reloaded whenever local data changes.

import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';
import { dataVersion, type Account } from '../../state/account';
import { ensureGroupInfos } from '../../state/group-info';
import { ensureProfiles, profiles } from '../../state/profiles';
import { route } from '../../state/route';
import { listConversations } from '../../store/conversations';
import type { StoredConversation } from '../../store/db';
import { usePrefetchedWindows } from '../chat/use-message-window';
import { startOfDay } from '../common/format';
import { pure } from '../common/pure';
import { sameData } from '../common/same-data';
import { ConversationItem } from './ConversationItem';
import { GroupConversationItem } from './GroupConversationItem';

// Opening a chat and every change of local data render the list again. Rows
// render again only when their data changed, because with hundreds of
// conversations rendering every row would delay the opened chat.
const PureConversationItem = pure(
  ConversationItem,
  (a, b) =>
    a.me === b.me && a.selected === b.selected && a.now === b.now && sameData(a.profile, b.profile) && sameData(a.conversation, b.conversation),
);
const PureGroupConversationItem = pure(
  GroupConversationItem,
  (a, b) =>
    a.me === b.me &&
    a.selected === b.selected &&
    a.now === b.now &&
    a.profiles === b.profiles &&
    sameData(a.group, b.group) &&
    sameData(a.conversation, b.conversation),
);

export function ConversationList({ account }: { account: Account }) {
  const conversations = useConversations(account);
  usePrefetchedWindows(account.db, conversations?.map((conversation) => conversation.id) ?? null);
  const known = profiles.value;
  const current = route.value;
  const selectedId = current.name === 'chat' ? current.conversationId : null;
  // A row shows only the day of `now` (formatListTime), so its props change once a day.
  const now = startOfDay(Date.now());

  useEffect(() => {
    if (!conversations) return;
    ensureProfiles(account, conversations.flatMap(namedUser));
    ensureGroupInfos(account, unnamedGroups(conversations));
  }, [account, conversations]);

  if (conversations === null) return <div class="conversation-list" data-testid="conversation-list" />;

  return (
    <div class="conversation-list" data-testid="conversation-list">
      {conversations.length === 0 ? (
        <div class="empty">
          <p class="empty-title">{t('chats.empty')}</p>
          <p class="empty-hint">{t('chats.emptyHint')}</p>
        </div>
      ) : (
        <ul class="conversation-items">
          {conversations.map((conversation) =>
            conversation.group ? (
              <PureGroupConversationItem
                key={conversation.id}
                conversation={conversation}
                group={conversation.group}
                profiles={known}
                me={account.userId}
                selected={conversation.id === selectedId}
                now={now}
              />
            ) : (
              <PureConversationItem
                key={conversation.id}
                conversation={conversation}
                profile={known.get(conversation.peerId)}
                me={account.userId}
                selected={conversation.id === selectedId}
                now={now}
              />
            ),
          )}
        </ul>
      )}
    </div>
  );
}

/** Returns the users a row names: the peer of a 1:1 chat, the sender of a group's last message. */
function namedUser(conversation: StoredConversation): string[] {
  if (!conversation.group) return [conversation.peerId];
  return conversation.lastMessage ? [conversation.lastMessage.from] : [];
}

/** Returns the groups known only from events, whose name comes with their GroupInfo. */
function unnamedGroups(conversations: readonly StoredConversation[]): string[] {
  return conversations.flatMap((conversation) => (conversation.group?.name === '' ? [conversation.group.groupId] : []));
}

/** Conversations from the local database; null until the first read finished. */
function useConversations(account: Account): StoredConversation[] | null {
  const [conversations, setConversations] = useState<StoredConversation[] | null>(null);
  const version = dataVersion.value;

  useEffect(() => {
    let current = true;
    listConversations(account.db)
      .then((loaded) => {
        if (current) setConversations(loaded);
      })
      .catch((error: unknown) => console.error('[chats] reading conversations failed', error));
    return () => {
      current = false;
    };
  }, [account, version]);

  return conversations;
}
